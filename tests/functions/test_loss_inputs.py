"""Losses other than softmax_cross_entropy: input errors and numerically delicate inputs."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def _send(device, values, dtype='float32'):
    return device.send(numpy.asarray(values, dtype=dtype))


@pytest.mark.parametrize('function', [
    F.squared_error, F.mean_squared_error, F.absolute_error, F.mean_absolute_error,
    F.bernoulli_nll, F.gaussian_kl_divergence,
    lambda a, b: F.huber_loss(a, b, 1.0),
    lambda a, b: F.gaussian_nll(a, b, b),
    lambda a, b: F.triplet(a, a, b),
])
def test_mismatched_shapes_are_rejected(device, function):
    a = _send(device, numpy.zeros((2, 3)))
    b = _send(device, numpy.zeros((2, 4)))
    with pytest.raises(InvalidType, match=r'shape'):
        function(a, b)


def test_contrastive_mismatched_shapes_are_rejected(device):
    with pytest.raises(InvalidType, match=r'x0\.shape == x1\.shape'):
        F.contrastive(_send(device, numpy.zeros((2, 3))), _send(device, numpy.zeros((2, 4))),
                      _send(device, [0, 1], 'int32'))


def test_mismatched_dtypes_are_rejected(device):
    with pytest.raises(InvalidType, match=r'x0\.dtype == x1\.dtype'):
        F.mean_squared_error(_send(device, [1.0]), _send(device, [1.0], 'float64'))


def test_sigmoid_cross_entropy_is_finite_for_large_logits(device):
    x = polychain.Variable(_send(device, [[1000.0, -1000.0], [-1000.0, 1000.0]]))
    t = _send(device, [[1, 0], [1, -1]], 'int32')
    loss = F.sigmoid_cross_entropy(x, t, reduce='no')
    numpy.testing.assert_allclose(to_host(loss.array), [[0.0, 0.0], [1000.0, 0.0]])
    F.sum(loss).backward()
    numpy.testing.assert_allclose(to_host(x.grad), [[0.0, 0.0], [-1.0, 0.0]])


def test_sigmoid_cross_entropy_rejects_float_labels(device):
    with pytest.raises(InvalidType, match=r't\.dtype is an integer dtype'):
        F.sigmoid_cross_entropy(_send(device, [[1.0]]), _send(device, [[1.0]]))


def test_huber_loss_switches_from_quadratic_to_linear(device):
    x = polychain.Variable(_send(device, [[0.5, 3.0, -3.0]]))
    t = _send(device, [[0.0, 0.0, 0.0]])
    loss = F.huber_loss(x, t, delta=1.0, reduce='no')
    numpy.testing.assert_allclose(to_host(loss.array), [[0.125, 2.5, 2.5]])
    F.sum(loss).backward()
    numpy.testing.assert_allclose(to_host(x.grad), [[0.5, 1.0, -1.0]])


def test_hinge_has_no_gradient_beyond_the_margin(device):
    x = polychain.Variable(_send(device, [[2.0, -2.0, 0.5]]))
    t = _send(device, [0], 'int32')
    loss = F.hinge(x, t, reduce='no')
    numpy.testing.assert_allclose(to_host(loss.array), [[0.0, 0.0, 1.5]])
    F.sum(loss).backward()
    numpy.testing.assert_allclose(to_host(x.grad), [[0.0, 0.0, 1.0]])


def test_contrastive_gradient_at_zero_distance_is_zero(device):
    x0 = polychain.Variable(_send(device, [[1.0, 2.0]]))
    x1 = polychain.Variable(_send(device, [[1.0, 2.0]]))
    loss = F.contrastive(x0, x1, _send(device, [0], 'int32'))
    loss.backward()
    assert float(to_host(loss.array)) == pytest.approx(0.5)
    numpy.testing.assert_array_equal(to_host(x0.grad), [[0.0, 0.0]])


@pytest.mark.parametrize('call', [
    lambda x: F.softmax_cross_entropy(x, x, reduce='all'),
    lambda x: F.huber_loss(x, x, 1.0, reduce='mean'),
    lambda x: F.bernoulli_nll(x, x, reduce='all'),
    lambda x: F.hinge(x, x, norm='L3'),
    lambda x: F.triplet(x, x, x, margin=0.0),
])
def test_invalid_options_are_rejected(device, call):
    with pytest.raises((ValueError, NotImplementedError)):
        call(_send(device, [[1.0]]))


@pytest.mark.parametrize('function, arity', [(F.bernoulli_nll, 2),
                                             (F.gaussian_kl_divergence, 2),
                                             (F.gaussian_nll, 3)])
def test_vae_losses_reduce_to_the_mean_of_the_elements(device, function, arity):
    rng = numpy.random.default_rng(4)
    args = [_send(device, rng.uniform(0.1, 0.9, (2, 3))) for _ in range(arity)]
    elements = to_host(function(*args, reduce='no').array)
    numpy.testing.assert_allclose(to_host(function(*args, reduce='mean').array),
                                  elements.mean(), rtol=1e-6)


@pytest.mark.parametrize('function, expected', [(F.mean_absolute_error, 4.0),
                                                (F.mean_squared_error, 16.0)])
def test_float16_means_do_not_overflow(device, function, expected):
    # 16384 float16 values of 4 (or 16) sum past float16's largest value, 65504.
    if str(device) == '@strict':
        pytest.skip('array_api_strict has no float16')
    x0 = device.send(numpy.full((64, 1, 16, 16), 2, numpy.float16))
    x1 = device.send(numpy.full((64, 1, 16, 16), -2, numpy.float16))
    loss = to_host(function(x0, x1).array)
    assert loss.dtype == numpy.float16
    assert float(loss) == expected
