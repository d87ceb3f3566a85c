"""WeightStandardization: the weight a link sees is standardized per output."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain import gradient_check
from polychain.backend.registry import to_host
from polychain.link_hooks import WeightStandardization

from .hook_checks import WeightProbe, make_input, make_link


def _standardized(weight: numpy.ndarray, eps: float) -> numpy.ndarray:
    axes = tuple(range(1, weight.ndim))
    centered = weight - weight.mean(axis=axes, keepdims=True)
    std = numpy.sqrt((centered ** 2).mean(axis=axes, keepdims=True))
    return centered / (std + eps)


def test_weight_seen_by_the_link_matches_reference(device, kind, dtype, rng):
    link = make_link(kind, device, dtype, rng)
    link.add_hook(WeightStandardization(eps=1e-2))
    probe = WeightProbe()
    link.add_hook(probe)
    link(make_input(kind, device, dtype, rng))
    expected = _standardized(to_host(link.W.array).astype('float64'), 1e-2)
    numpy.testing.assert_allclose(probe.seen, expected, rtol=1e-5, atol=1e-5)


def test_output_matches_reference(device, rng):
    link = make_link('linear', device, 'float64', rng)
    link.add_hook(WeightStandardization())
    x = make_input('linear', device, 'float64', rng)
    y = link(x)
    expected = to_host(x) @ _standardized(to_host(link.W.array), 1e-6).T
    numpy.testing.assert_allclose(to_host(y.array), expected, rtol=1e-10)


def test_gradients(device, kind, rng):
    link = make_link(kind, device, 'float64', rng)
    link.add_hook(WeightStandardization())
    x = make_input(kind, device, 'float64', rng)
    y_shape = link(x).shape
    gy = device.send(rng.standard_normal(y_shape))
    gradient_check.check_backward(link, x, gy, params=[link.W], atol=1e-6, rtol=1e-5, seed=0)


def test_constant_rows_get_a_zero_gradient(device):
    link = L.Linear(1, 3, nobias=True).to_device(device)
    link.add_hook(WeightStandardization())
    link.cleargrads()
    y = link(device.send(numpy.ones((2, 1), dtype='float32')))
    numpy.testing.assert_array_equal(to_host(y.array), numpy.zeros((2, 3)))
    F.sum(y).backward()
    numpy.testing.assert_array_equal(to_host(link.W.grad), numpy.zeros((3, 1)))


def test_link_keeps_its_parameters(device, kind, rng):
    link = make_link(kind, device, 'float32', rng)
    weight = link.W
    link.add_hook(WeightStandardization())
    F.sum(link(make_input(kind, device, 'float32', rng))).backward()
    assert link.W is weight
    assert list(link.params()) == [weight]
    assert weight.grad is not None


def test_lazily_initialized_linear(device, rng):
    link = L.Linear(None, 3).to_device(device)
    link.add_hook(WeightStandardization())
    probe = WeightProbe()
    link.add_hook(probe)
    link(device.send(rng.standard_normal((2, 5)).astype('float32')))
    assert link.W.shape == (3, 5)
    numpy.testing.assert_allclose(probe.seen.mean(axis=1), numpy.zeros(3), atol=1e-6)
    numpy.testing.assert_allclose(probe.seen.std(axis=1), numpy.ones(3), rtol=1e-4)


def test_defaults_and_errors():
    hook = WeightStandardization()
    assert (hook.eps, hook.weight_name, hook.name) == (1e-6, 'W', 'WeightStandardization')
    assert WeightStandardization(name='ws').name == 'ws'
    with pytest.raises(ValueError, match="'V'"):
        L.Linear(3, 2).add_hook(WeightStandardization(weight_name='V'))
    with pytest.raises(NotImplementedError):
        with WeightStandardization():
            pass
    with pytest.raises(ValueError, match='at least 2 axes'):
        L.Bias(shape=(3,)).add_hook(WeightStandardization(weight_name='b'))(
            polychain.Variable(numpy.zeros((2, 3), dtype='float32')))
