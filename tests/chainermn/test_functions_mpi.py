"""Differentiable communication on two ranks: values forward, gradients back (``mpi`` tests)."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import backend

pytestmark = pytest.mark.mpi


@pytest.fixture
def comm():
    import polychain.chainermn as chainermn

    communicator = chainermn.create_communicator('naive')
    assert communicator.size == 2, 'the mpi tests run on two ranks'
    yield communicator
    communicator.mpi_comm.Barrier()


def _variable(device, host):
    return polychain.Variable(device.send(numpy.asarray(host)))


def _host(x):
    return backend.to_host(x.array if isinstance(x, polychain.Variable) else x)


def _weighted_sum(ys, weights):
    """sum_i weights[i] * sum(ys[i]), so that ys[i] gets the gradient weights[i] everywhere."""
    return F.sum(F.stack([F.sum(y) * float(w) for y, w in zip(ys, weights)]))


def _arange(rank, shape=(2, 3)):
    return numpy.arange(numpy.prod(shape), dtype='float32').reshape(shape) + 10 * rank


def test_send_recv_values_and_gradient(comm, device):
    from polychain.chainermn import functions as mnf

    if comm.rank == 0:
        x = _variable(device, _arange(0))
        delegate = mnf.send(x * 3.0, comm, rank=1)
        assert delegate.shape == () and delegate.name == 'delegate_variable'
        delegate.backward()
        numpy.testing.assert_array_equal(_host(x.grad), numpy.full((2, 3), 3 * 2.0))
        assert backend.get_device_from_array(x.grad) == device
    else:
        y = mnf.recv(comm, rank=0)
        assert backend.get_device_from_array(y.array) == device
        numpy.testing.assert_array_equal(_host(y), 3 * _arange(0))
        F.sum(y * 2.0).backward()


def test_send_of_arrays_runs_backward_through_pseudo_connect(comm, device):
    # A send of plain arrays still takes part in backward (no deadlock).
    from polychain.chainermn import functions as mnf

    if comm.rank == 0:
        x = device.send(numpy.ones((2, 2), dtype='float32'))
        phi = mnf.send(x, comm, rank=1)
        x2, = mnf.pseudo_connect(phi, x)
        F.sum(x2).backward()
    else:
        y = mnf.recv(comm, rank=0)
        F.sum(y).backward()
        numpy.testing.assert_array_equal(_host(y), numpy.ones((2, 2)))


def test_tuples_and_force_tuple(comm, device):
    from polychain.chainermn import functions as mnf

    if comm.rank == 0:
        a, b = _variable(device, _arange(0)), _variable(device, _arange(1))
        mnf.send([a, b], comm, rank=1).backward()
        numpy.testing.assert_array_equal(_host(a.grad), numpy.full((2, 3), 1.0))
        numpy.testing.assert_array_equal(_host(b.grad), numpy.full((2, 3), 2.0))
        c = _variable(device, _arange(2))
        mnf.send([c], comm, rank=1).backward()
        numpy.testing.assert_array_equal(_host(c.grad), numpy.full((2, 3), 5.0))
    else:
        a, b = mnf.recv(comm, rank=0)
        _weighted_sum([a, b], [1, 2]).backward()
        c = mnf.recv(comm, rank=0, force_tuple=True)
        assert isinstance(c, tuple) and len(c) == 1
        (F.sum(c[0]) * 5.0).backward()


def test_recv_with_delegate_keeps_the_earlier_send_in_backward(comm, device):
    # rank 0 -> rank 1 -> rank 0: one backward on rank 0 reaches x through both hops.
    from polychain.chainermn import functions as mnf

    if comm.rank == 0:
        x = _variable(device, _arange(0))
        phi = mnf.send(x, comm, rank=1)
        y = mnf.recv(comm, rank=1, delegate_variable=phi)
        numpy.testing.assert_array_equal(_host(y), 2 * _arange(0))
        F.sum(y * 5.0).backward()
        numpy.testing.assert_array_equal(_host(x.grad), numpy.full((2, 3), 10.0))
    else:
        x = mnf.recv(comm, rank=0)
        mnf.send(x * 2.0, comm, rank=0).backward()


def test_send_and_recv_to_self_raise(comm):
    from polychain.chainermn import functions as mnf

    x = polychain.Variable(numpy.zeros(3, dtype='float32'))
    with pytest.raises(ValueError, match='deadlock'):
        mnf.send(x, comm, rank=comm.rank)
    with pytest.raises(ValueError, match='deadlock'):
        mnf.recv(comm, rank=comm.rank)


def test_allgather(comm, device):
    from polychain.chainermn import functions as mnf

    x = _variable(device, _arange(comm.rank, (comm.rank + 1, 2)))
    ys = mnf.allgather(comm, x)
    for r, y in enumerate(ys):
        numpy.testing.assert_array_equal(_host(y), _arange(r, (r + 1, 2)))
    # Each rank weighs ys[r] by (its rank + 1) * (r + 1): x of rank r gets (1 + 2) * (r + 1).
    _weighted_sum(ys, [(comm.rank + 1) * (r + 1) for r in range(2)]).backward()
    numpy.testing.assert_array_equal(_host(x.grad), numpy.full(x.shape, 3.0 * (comm.rank + 1)))


def test_alltoall(comm, device):
    from polychain.chainermn import functions as mnf

    xs = [_variable(device, _arange(comm.rank, (j + 1, 2))) for j in range(2)]
    ys = mnf.alltoall(comm, xs)
    for r, y in enumerate(ys):
        numpy.testing.assert_array_equal(_host(y), _arange(r, (comm.rank + 1, 2)))
    _weighted_sum(ys, [comm.rank + 1] * 2).backward()
    for j, x in enumerate(xs):  # xs[j] went to rank j, which weighs it by j + 1
        numpy.testing.assert_array_equal(_host(x.grad), numpy.full(x.shape, j + 1.0))
    with pytest.raises(ValueError):
        mnf.alltoall(comm, xs[:1])


def test_bcast(comm, device):
    from polychain.chainermn import functions as mnf

    x = _variable(device, _arange(0))
    y = mnf.bcast(comm, x if comm.rank == 0 else None, root=0)
    numpy.testing.assert_array_equal(_host(y), _arange(0))
    assert backend.get_device_from_array(y.array) == device
    (F.sum(y) * (comm.rank + 1.0)).backward()
    if comm.rank == 0:
        numpy.testing.assert_array_equal(_host(x.grad), numpy.full((2, 3), 3.0))


def test_gather(comm, device):
    from polychain.chainermn import functions as mnf

    x = _variable(device, _arange(comm.rank, (comm.rank + 1, 3)))
    out = mnf.gather(comm, x, root=0)
    if comm.rank == 0:
        for r, y in enumerate(out):
            numpy.testing.assert_array_equal(_host(y), _arange(r, (r + 1, 3)))
        _weighted_sum(out, [1, 2]).backward()
    else:
        assert isinstance(out, polychain.Variable) and out.shape == ()
        out.backward()
    numpy.testing.assert_array_equal(_host(x.grad), numpy.full(x.shape, comm.rank + 1.0))


def test_scatter(comm, device):
    from polychain.chainermn import functions as mnf

    xs = [_variable(device, _arange(r, (r + 1, 3))) for r in range(2)]
    y = mnf.scatter(comm, xs if comm.rank == 0 else None, root=0)
    numpy.testing.assert_array_equal(_host(y), _arange(comm.rank, (comm.rank + 1, 3)))
    assert backend.get_device_from_array(y.array) == device
    (F.sum(y) * (comm.rank + 1.0)).backward()
    if comm.rank == 0:
        for r, x in enumerate(xs):
            numpy.testing.assert_array_equal(_host(x.grad), numpy.full(x.shape, r + 1.0))
