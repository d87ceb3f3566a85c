"""Layer, group, L2 and local response normalization: Chainer's semantics and error rules."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def test_group_normalization_checks_its_arguments():
    gamma = numpy.ones(4, 'float32')
    with pytest.raises(ValueError, match='at least 2 dimensions'):
        F.group_normalization(numpy.ones((4,), 'float32'), 2, gamma, gamma)
    with pytest.raises(ValueError, match='groups to divide the 4 channels, received groups=3'):
        F.group_normalization(numpy.ones((2, 4, 3), 'float32'), 3, gamma, gamma)
    with pytest.raises(TypeError, match='expected an int groups, received float'):
        F.group_normalization(numpy.ones((2, 4, 3), 'float32'), 2.0, gamma, gamma)
    with pytest.raises(InvalidType, match=r'gamma.shape == \(4,\)'):
        F.group_normalization(numpy.ones((2, 4, 3), 'float32'), 2, gamma[:3], gamma)


def test_group_normalization_takes_float32_parameters_for_a_float16_input(device, rng):
    """As in Chainer's mixed16 links: the output keeps x's dtype, gradients their inputs'."""
    if str(device) == '@strict':
        pytest.skip('array_api_strict has no float16')
    x = polychain.Variable(device.send(rng.normal(size=(2, 4, 3)).astype('float16')))
    gamma = polychain.Variable(device.send(numpy.ones(4, 'float32')))
    beta = polychain.Variable(device.send(numpy.zeros(4, 'float32')))
    y = F.group_normalization(x, 2, gamma, beta)
    assert y.dtype == numpy.float16
    F.sum(y * y).backward()
    assert (x.grad.dtype, gamma.grad.dtype, beta.grad.dtype) == \
        (numpy.float16, numpy.float32, numpy.float32)
    with pytest.raises(InvalidType, match='beta.dtype'):
        F.group_normalization(x, 2, gamma, device.send(numpy.zeros(4, 'float16')))


def test_group_normalization_with_one_group_is_layer_normalization_per_sample(device, rng):
    x = rng.normal(size=(3, 4, 2))
    ones = device.send(numpy.ones(4))
    y = F.group_normalization(device.send(x), 1, ones, ones * 0)
    flat = x.reshape(3, -1)
    expected = (flat - flat.mean(1, keepdims=True)) / numpy.sqrt(flat.var(1, keepdims=True)
                                                                 + 1e-5)
    numpy.testing.assert_allclose(to_host(y.array), expected.reshape(x.shape), rtol=1e-10)


def test_group_normalization_takes_inputs_without_spatial_axes(device, rng):
    # As in Chainer: (batch, channels) is standardized per sample within each group.
    x = rng.normal(size=(3, 6))
    gamma, beta = rng.normal(size=6), rng.normal(size=6)
    y = F.group_normalization(device.send(x), 2, device.send(gamma), device.send(beta))
    grouped = x.reshape(3, 2, 3)
    expected = ((grouped - grouped.mean(2, keepdims=True))
                / numpy.sqrt(grouped.var(2, keepdims=True) + 1e-5)).reshape(3, 6)
    numpy.testing.assert_allclose(to_host(y.array), expected * gamma + beta, rtol=1e-10)


def test_layer_normalization_takes_two_dimensional_inputs():
    gamma = numpy.ones(3, 'float32')
    with pytest.raises(InvalidType, match='x.ndim == 2'):
        F.layer_normalization(numpy.ones((2, 3, 1), 'float32'), gamma, gamma)
    with pytest.raises(InvalidType, match=r'gamma.shape == \(3,\)'):
        F.layer_normalization(numpy.ones((2, 3), 'float32'), gamma[:2], gamma)


def test_normalize_keeps_a_zero_vector_and_its_gradients_finite(device):
    x = polychain.Variable(device.send(numpy.array([[0.0, 0.0], [3.0, 4.0]])))
    y = F.normalize(x)
    numpy.testing.assert_allclose(to_host(y.array), [[0.0, 0.0], [0.6, 0.8]], rtol=1e-4)
    gx, = polychain.grad([F.sum(y * y)], [x], enable_double_backprop=True)
    ggx, = polychain.grad([F.sum(gx * gx)], [x])
    assert numpy.isfinite(to_host(gx.array)).all()
    assert numpy.isfinite(to_host(ggx.array)).all()


def test_normalize_rejects_an_axis_out_of_range():
    with pytest.raises(ValueError, match=r'normalize: expected axis in \[-2, 2\)'):
        F.normalize(numpy.ones((2, 3), 'float32'), axis=2)


def test_local_response_normalization_even_window_sums_one_more_channel(device, rng):
    x = device.send(rng.normal(size=(2, 6, 3)))
    even = F.local_response_normalization(x, n=4, alpha=0.3)
    odd = F.local_response_normalization(x, n=5, alpha=0.3)
    numpy.testing.assert_array_equal(to_host(even.array), to_host(odd.array))


def test_local_response_normalization_of_one_channel(device):
    x = device.send(numpy.array([[2.0], [-1.0]]))
    y = F.local_response_normalization(x, n=5, k=1.0, alpha=0.5, beta=1.0)
    numpy.testing.assert_allclose(to_host(y.array), [[2.0 / 3.0], [-1.0 / 1.5]], rtol=1e-12)


def test_local_response_normalization_needs_a_channel_axis():
    with pytest.raises(ValueError, match='at least 2 dimensions'):
        F.local_response_normalization(numpy.ones(3, 'float32'))
