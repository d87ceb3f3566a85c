"""The tutorial's MLP (as the walkthrough defines it) runs forward and backward on every
device and gives the same numbers."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host

from .test_tutorial_walkthrough import MLP


def _run(device):
    """Builds the MLP on ``device`` from seed 0 and returns its loss and gradients on the host."""
    numpy.random.seed(0)
    model = MLP(100, 10).to_device(device)
    x = numpy.random.default_rng(1).uniform(-1, 1, (8, 784)).astype(numpy.float32)
    y = model(device.send(x))
    loss = F.sum(y * y) * (1.0 / y.shape[0])
    model.cleargrads()
    loss.backward()
    params = {name: to_host(p.array) for name, p in model.namedparams()}
    grads = {name: to_host(p.grad) for name, p in model.namedparams()}
    return to_host(loss.array), params, grads, model


@pytest.fixture(scope='module')
def reference():
    return _run(polychain.get_device('@numpy'))


def test_mlp_matches_numpy_on_every_device(device, reference):
    loss, params, grads, model = _run(device)
    ref_loss, ref_params, ref_grads, _ = reference
    assert [name for name, _ in model.namedparams()] == list(ref_params)
    for name in ref_params:
        # Lazy parameters are drawn on the host from the same seed: bit-identical everywhere.
        numpy.testing.assert_array_equal(params[name], ref_params[name], err_msg=name)
        numpy.testing.assert_allclose(grads[name], ref_grads[name], rtol=1e-4, atol=1e-5,
                                      err_msg=name)
        assert model.l1.W.device is device
    numpy.testing.assert_allclose(loss, ref_loss, rtol=1e-5)


def test_mlp_round_trip_between_devices_keeps_parameters(device, reference):
    _, ref_params, _, model = reference
    copy = model.copy('copy')
    copy.to_device(device).to_device('@numpy')
    for name, param in copy.namedparams():
        numpy.testing.assert_array_equal(param.array, ref_params[name], err_msg=name)
