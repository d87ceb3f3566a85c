"""polychain.chainermn in one process (a communicator of size 1): the parts that need no peer."""

from __future__ import annotations

import itertools

import numpy
import pytest

from . import mpi_launch

pytestmark = pytest.mark.skipif(mpi_launch.missing() is not None,
                                reason=str(mpi_launch.missing()))


@pytest.fixture(scope='module')
def chainermn():
    import polychain.chainermn

    return polychain.chainermn


def test_unknown_communicator_names_the_known_ones(chainermn):
    with pytest.raises(ValueError, match='Unrecognized communicator: "nope".*naive, flat'):
        chainermn.create_communicator('nope')


def test_allreduce_grad_dtype_is_for_pure_nccl_only(chainermn):
    with pytest.raises(ValueError, match="allreduce_grad_dtype is only available at 'pure_nccl'"):
        chainermn.create_communicator('naive', allreduce_grad_dtype=numpy.float16)


def test_pure_nccl_says_why_it_is_unavailable(chainermn):
    from polychain.chainermn import nccl

    if nccl.available:
        pytest.skip('CuPy with NCCL is installed here')
    with pytest.raises(RuntimeError, match='NCCL is not available.*naive.*flat'):
        chainermn.create_communicator()  # ChainerMN's default is pure_nccl


def test_double_buffering_needs_pure_nccl(chainermn):
    from polychain import optimizers

    comm = chainermn.create_communicator('flat')
    with pytest.raises(ValueError, match='does not support double buffering'):
        chainermn.create_multi_node_optimizer(optimizers.SGD(), comm, double_buffering=True)


@pytest.mark.parametrize(('length', 'size'), [(10, 3), (1244, 23), (2, 1), (0, 2), (1, 2)])
@pytest.mark.parametrize('equal', [True, False])
def test_scatter_index_covers_the_range(length, size, equal):
    from polychain.chainermn.datasets.scatter import _scatter_index

    ranges = list(_scatter_index(length, size, equal))
    assert [rank for rank, _, _ in ranges] == list(range(size))
    covered = set(itertools.chain.from_iterable(range(b, e) for _, b, e in ranges))
    assert covered == set(range(length))
    lengths = [e - b for _, b, e in ranges]
    if equal:
        assert len(set(lengths)) == 1
    else:
        assert max(lengths) - min(lengths) <= 1
        assert sum(lengths) == length


def test_scatter_index_of_ten_over_three():
    from polychain.chainermn.datasets.scatter import _scatter_index

    assert list(_scatter_index(10, 3, False)) == [(0, 0, 4), (1, 4, 7), (2, 7, 10)]


def test_chunked_bcast_obj_checks_the_chunk_length(chainermn):
    from mpi4py import MPI

    from polychain.chainermn.communicators._communication_utility import (
        INT_MAX,
        chunked_bcast_obj,
    )

    assert chunked_bcast_obj(list(range(100)), MPI.COMM_WORLD, 7) == list(range(100))
    for bad in (-1, 0, INT_MAX):
        with pytest.raises(AssertionError):
            chunked_bcast_obj([1], MPI.COMM_WORLD, bad)


def test_control_message_round_trip():
    from polychain.chainermn.iterators.multi_node_iterator import (
        _build_ctrl_msg,
        _parse_ctrl_msg,
    )

    fields = (False, True, True, False, 123456789012)
    assert _parse_ctrl_msg(_build_ctrl_msg(*fields)) == fields


def test_checkpointer_file_names(chainermn, tmp_path):
    comm = chainermn.create_communicator('naive')
    checkpointer = chainermn.create_multi_node_checkpointer('job-a', comm, path=str(tmp_path))
    names = checkpointer._filenames([3, 40])
    assert names == ['snapshot-job-a-0.3', 'snapshot-job-a-0.40']
    assert checkpointer._parse_filenames(names + ['log', 'snapshot_iter_3.npz']) == \
        [('job-a', 0, 3), ('job-a', 0, 40), None, None]


def test_testing_get_device(chainermn):
    from polychain.chainermn.testing import get_device

    assert get_device().name == '@numpy'
