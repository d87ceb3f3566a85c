"""Communicators on two ranks: array and object collectives, model helpers (``mpi`` tests)."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.links as L
from polychain import backend

pytestmark = pytest.mark.mpi

NAMES = ['naive', 'flat']


@pytest.fixture(params=NAMES)
def comm(request):
    import polychain.chainermn as chainermn

    communicator = chainermn.create_communicator(request.param)
    assert communicator.size == 2, 'the mpi tests run on two ranks'
    yield communicator
    communicator.mpi_comm.Barrier()
    communicator.finalize()


def _on(device, host):
    return device.send(numpy.asarray(host))


def _assert_on(array, device, expected):
    assert backend.get_device_from_array(array) == device
    numpy.testing.assert_array_equal(backend.to_host(array), expected)
    assert backend.to_host(array).dtype == numpy.asarray(expected).dtype


def test_ranks(comm):
    import mpi4py.MPI

    assert (comm.rank, comm.size) == (mpi4py.MPI.COMM_WORLD.rank, 2)
    assert (comm.intra_rank, comm.intra_size, comm.inter_rank, comm.inter_size) == \
        (comm.rank, 2, 0, 1)


@pytest.mark.parametrize('dtype', ['int32', 'float16', 'float32', 'float64'])
def test_allreduce_sums_on_the_device_of_the_input(comm, device, dtype):
    if dtype == 'float16' and str(device) == '@strict':
        pytest.skip('array_api_strict has no float16')
    x = _on(device, (numpy.arange(6).reshape(2, 3) + comm.rank).astype(dtype))
    _assert_on(comm.allreduce(x), device, (2 * numpy.arange(6).reshape(2, 3) + 1).astype(dtype))


def test_send_recv_arrays_and_tuples(comm, device):
    x = _on(device, numpy.arange(12, dtype='float32').reshape(3, 4))
    y = _on(device, numpy.int64(7))
    if comm.rank == 0:
        comm.send(x, dest=1, tag=3)
        comm.send((x, y), dest=1, tag=4)
        comm.send(_on(device, numpy.arange(18.).reshape(3, 3, 2))[:, 1, :], dest=1, tag=5)
    else:
        _assert_on(comm.recv(source=0, tag=3), device, backend.to_host(x))
        got = comm.recv(source=0, tag=4)
        assert isinstance(got, tuple) and len(got) == 2
        _assert_on(got[1], device, numpy.int64(7))
        _assert_on(comm.recv(source=0, tag=5), device, numpy.arange(18.).reshape(3, 3, 2)[:, 1, :])


def test_bcast_gather_allgather_scatter_alltoall(comm, device):
    mine = _on(device, numpy.full((2, comm.rank + 1), comm.rank, dtype='float64'))
    expected = [numpy.full((2, r + 1), r, dtype='float64') for r in range(2)]
    root_value = _on(device, numpy.arange(5, dtype='int32'))
    _assert_on(comm.bcast(root_value if comm.rank == 0 else None, root=0), device,
               numpy.arange(5, dtype='int32'))
    gathered = comm.gather(mine, root=1)
    if comm.rank == 1:
        for got, want in zip(gathered, expected, strict=True):
            _assert_on(got, device, want)
    else:
        assert gathered is None
    for got, want in zip(comm.allgather(mine), expected, strict=True):
        _assert_on(got, device, want)
    parts = [_on(device, numpy.full(3, 10 * r)) for r in range(2)]
    _assert_on(comm.scatter(parts if comm.rank == 0 else None, root=0), device,
               numpy.full(3, 10 * comm.rank))
    sent = [_on(device, numpy.array([comm.rank, r])) for r in range(2)]
    for r, got in enumerate(comm.alltoall(sent)):
        _assert_on(got, device, numpy.array([r, comm.rank]))


def test_object_collectives(comm):
    import mpi4py.MPI

    assert comm.bcast_obj({'from': comm.rank}, root=1) == {'from': 1}
    assert comm.gather_obj(comm.rank, root=0) == ([0, 1] if comm.rank == 0 else None)
    assert comm.allreduce_obj(comm.rank + 1) == 3
    if comm.rank == 0:
        comm.send_obj(('hello', 3), dest=1, tag=5)
    else:
        status = mpi4py.MPI.Status()
        assert comm.recv_obj(source=0, status=status) == ('hello', 3)
        assert (status.Get_source(), status.Get_tag()) == (0, 5)


def test_split(comm):
    sub = comm.split(color=comm.rank, key=0)
    assert type(sub) is type(comm)
    assert (sub.size, sub.rank) == (1, 0)
    assert sub.allreduce_obj(comm.rank) == comm.rank


def _model(device, dtype='float64'):
    model = polychain.Chain()
    with model.init_scope():
        model.a = L.Linear(2, 3)
        model.b = L.Linear(3, 4)
        model.c = L.Linear(None, 5)
    model.to_device(device)
    for _, param in model.namedparams():
        if param.array is not None:
            param.array = device.send(backend.to_host(param.array).astype(dtype))
    return model


def test_bcast_data_copies_rank_0_parameters(comm, device):
    model = _model(device)
    model.a.W.array = _on(device, numpy.full((3, 2), comm.rank, 'float64'))
    model.b.b.array = _on(device, numpy.full(4, comm.rank + 5, 'float64'))
    comm.bcast_data(model)
    _assert_on(model.a.W.array, device, numpy.zeros((3, 2)))
    _assert_on(model.b.b.array, device, numpy.full(4, 5.0))
    assert model.c.W.array is None


def test_multi_node_mean_grad(comm, device):
    model = _model(device)
    for name, param in model.namedparams():
        if param.array is not None:
            param.grad = _on(device, numpy.full(param.shape, comm.rank + len(name), 'float64'))
    model.c.b.grad = _on(device, numpy.full(5, 4.0 * comm.rank)) if comm.rank == 0 else None
    comm.multi_node_mean_grad(model, zero_fill=True)
    for name, param in model.namedparams():
        if name == '/c/b':
            _assert_on(param.grad, device, numpy.zeros(5))  # rank 0 has 0, rank 1 none
        elif param.array is not None:
            _assert_on(param.grad, device, numpy.full(param.shape, 0.5 + len(name)))


def test_multi_node_mean_grad_without_zero_fill_leaves_missing_gradients(comm, device):
    model = _model(device)
    for _, param in model.namedparams():
        param.cleargrad()
    model.a.W.grad = _on(device, numpy.full((3, 2), 2.0 * comm.rank))
    comm.multi_node_mean_grad(model)
    _assert_on(model.a.W.grad, device, numpy.ones((3, 2)))
    assert model.b.W.grad is None


def test_debug_mode_reports_diverged_gradients(comm):
    model = _model(polychain.get_device('@numpy'))
    model.a.W.grad = numpy.full((3, 2), numpy.nan)
    with polychain.using_config('debug', True), pytest.raises(ValueError, match=r'.* diverged .*'):
        comm.multi_node_mean_grad(model)


def test_config(comm):
    assert comm.get_config('batched_copy') is True  # create_communicator's default
    comm.set_config('batched_copy', False)
    assert comm.batched_copy is False
    comm.set_config('batched_copy', True)
    assert comm.batched_copy is True
    with pytest.raises(ValueError, match='Unknown config'):
        comm.set_config('no such thing')
