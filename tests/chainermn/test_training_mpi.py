"""Data-parallel training on two ranks matches one process (``mpi`` tests).

Two ranks with 50 examples each must give the loss curve of one process with
all 100 (within 1e-6 relative, float64), and after every update the parameters
must be bit-identical on both ranks.
"""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain import backend, optimizers

pytestmark = pytest.mark.mpi

BATCH = 100
STEPS = 6


class MLP(polychain.Chain):
    def __init__(self):
        super().__init__()
        rng = numpy.random.RandomState(0)
        with self.init_scope():
            self.l1 = L.Linear(4, 16, initialW=rng.normal(0, 0.5, (16, 4)))
            self.l2 = L.Linear(16, 3, initialW=rng.normal(0, 0.5, (3, 16)))

    def forward(self, x):
        return self.l2(F.tanh(self.l1(x)))


def _data():
    rng = numpy.random.RandomState(1)
    x = rng.normal(size=(BATCH * STEPS, 4))
    t = rng.randint(0, 3, size=BATCH * STEPS).astype(numpy.int32)
    return x, t


def _setup(device, optimizer):
    model = MLP()
    for _, param in model.namedparams():
        param.array = param.array.astype(numpy.float64)
    model.to_device(device)
    optimizer.setup(model)
    return model


def _step(model, optimizer, device, x, t):
    loss = F.softmax_cross_entropy(model(device.send(x)), device.send(t))
    model.cleargrads()
    loss.backward()
    optimizer.update()
    return float(backend.to_host(loss.array))


def _host_bytes(model):
    return b''.join(numpy.ascontiguousarray(backend.to_host(p.array)).tobytes()
                    for _, p in sorted(model.namedparams()))


@pytest.mark.parametrize('name', ['naive', 'flat'])
@pytest.mark.parametrize('spec', ['@numpy', '@jax:cpu:0'])
def test_two_ranks_follow_the_single_process_loss_curve(name, spec):
    import polychain.chainermn as chainermn

    device = polychain.get_device(spec)
    comm = chainermn.create_communicator(name)
    x, t = _data()

    single = optimizers.MomentumSGD(lr=0.1)
    single_model = _setup(device, single)
    single_curve = [_step(single_model, single, device, x[i:i + BATCH], t[i:i + BATCH])
                    for i in range(0, BATCH * STEPS, BATCH)]

    optimizer = chainermn.create_multi_node_optimizer(optimizers.MomentumSGD(lr=0.1), comm)
    model = _setup(device, optimizer)
    optimizer.update()  # the first update broadcasts rank 0's parameters
    half = BATCH // comm.size
    curve = []
    for i in range(0, BATCH * STEPS, BATCH):
        lo = i + comm.rank * half
        local = _step(model, optimizer, device, x[lo:lo + half], t[lo:lo + half])
        curve.append(comm.allreduce_obj(local) / comm.size)
        everyone = comm.gather_obj(_host_bytes(model), root=0)
        if comm.rank == 0:
            assert everyone[0] == everyone[1], f'parameters differ between ranks after {i}'
    assert optimizer.t == STEPS
    numpy.testing.assert_allclose(curve, single_curve, rtol=1e-6, atol=0)
    for (_, mine), (_, ref) in zip(sorted(model.namedparams()),
                                   sorted(single_model.namedparams()), strict=True):
        numpy.testing.assert_allclose(backend.to_host(mine.array), backend.to_host(ref.array),
                                      rtol=1e-6, atol=1e-12)
