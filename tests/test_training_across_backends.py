"""The tutorial MLP trained for 100 steps from one seed follows the same loss curve everywhere."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain import optimizers
from polychain.backend import to_host

STEPS = 100


class MLP(polychain.Chain):
    def __init__(self, n_units, n_out):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x):
        return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))


def _loss_curve(device):
    data = numpy.random.default_rng(0)
    x = data.normal(size=(STEPS, 20, 784)).astype(numpy.float32)
    t = data.integers(0, 10, size=(STEPS, 20)).astype(numpy.int32)
    numpy.random.seed(0)
    model = L.Classifier(MLP(100, 10)).to_device(device)
    optimizer = optimizers.SGD(lr=0.01).setup(model)
    losses = []
    for step in range(STEPS):
        optimizer.update(model, device.send(x[step]), device.send(t[step]))
        losses.append(to_host(model.loss.array))
    return numpy.array(losses), {name: to_host(p.array) for name, p in model.namedparams()}


@pytest.fixture(scope='module')
def reference():
    return _loss_curve(polychain.get_device('@numpy'))


def test_loss_curve_matches_numpy(device, reference):
    losses, params = _loss_curve(device)
    ref_losses, ref_params = reference
    assert losses[-1] < losses[0]
    numpy.testing.assert_allclose(losses, ref_losses, rtol=1e-4, atol=1e-5)
    for name, value in ref_params.items():
        numpy.testing.assert_allclose(params[name], value, rtol=1e-4, atol=1e-5, err_msg=name)
