"""Chainer semantics of the piecewise linear activations and their argument errors."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def _values(variable):
    return to_host(variable.array)


def _grad(function, device, x):
    """The gradient of ``sum(function(x))`` on the host."""
    variable = polychain.Variable(device.send(x))
    y = function(variable)
    gx, = polychain.grad([y], [variable], [device.send(numpy.ones(y.shape, dtype=x.dtype))])
    return to_host(gx.array)


def test_clipped_relu_caps_and_gradient_vanishes_outside(device, dtype):
    x = numpy.array([-3.0, 0.5, 4.0, 25.0], dtype=dtype)
    numpy.testing.assert_array_equal(_values(F.clipped_relu(device.send(x))),
                                     [0.0, 0.5, 4.0, 20.0])
    numpy.testing.assert_array_equal(_values(F.clipped_relu(device.send(x), 2.0)),
                                     [0.0, 0.5, 2.0, 2.0])
    numpy.testing.assert_array_equal(_grad(lambda v: F.clipped_relu(v, 2.0), device, x),
                                     [0.0, 1.0, 0.0, 0.0])


def test_relu6_caps_at_six(device, dtype):
    x = numpy.array([-1.0, 3.0, 7.0], dtype=dtype)
    numpy.testing.assert_array_equal(_values(F.relu6(device.send(x))), [0.0, 3.0, 6.0])


@pytest.mark.parametrize('z, error', [(0.0, ValueError), (-1.0, ValueError),
                                      ('6', TypeError), (None, TypeError)])
def test_clipped_relu_rejects_bad_z(device, z, error):
    with pytest.raises(error, match='clipped_relu: expected z'):
        F.clipped_relu(device.send(numpy.zeros(3, dtype='float32')), z)


def test_hard_sigmoid_values_and_gradient(device, dtype):
    x = numpy.array([-3.0, -1.0, 0.0, 2.0, 3.0], dtype=dtype)
    numpy.testing.assert_allclose(_values(F.hard_sigmoid(device.send(x))),
                                  [0.0, 0.3, 0.5, 0.9, 1.0], rtol=1e-6)
    numpy.testing.assert_allclose(_grad(F.hard_sigmoid, device, x), [0.0, 0.2, 0.2, 0.2, 0.0],
                                  rtol=1e-6)


def test_leaky_relu_default_slope_is_chainers(device, dtype):
    x = numpy.array([-2.0, 0.0, 3.0], dtype=dtype)
    numpy.testing.assert_allclose(_values(F.leaky_relu(device.send(x))), [-0.4, 0.0, 3.0],
                                  rtol=1e-6)
    numpy.testing.assert_allclose(_grad(F.leaky_relu, device, x), [0.2, 1.0, 1.0], rtol=1e-6)


def test_crelu_doubles_the_axis(device, dtype, rng):
    x = rng.uniform(-1, 1, (2, 3, 4)).astype(dtype)
    y = _values(F.crelu(device.send(x)))
    assert y.shape == (2, 6, 4)
    numpy.testing.assert_array_equal(y[:, :3], numpy.maximum(x, 0))
    numpy.testing.assert_array_equal(y[:, 3:], numpy.maximum(-x, 0))
    assert _values(F.crelu(device.send(x), axis=-1)).shape == (2, 3, 8)


def test_crelu_rejects_axis_out_of_range(device):
    with pytest.raises(InvalidType, match='axis'):
        F.crelu(device.send(numpy.zeros((2, 3), dtype='float32')), axis=2)


def test_maxout_pools_consecutive_channels_and_routes_gradient_to_the_maximum(device, dtype):
    x = numpy.array([[1.0, 5.0, 2.0, -1.0, -3.0, -2.0]], dtype=dtype)
    numpy.testing.assert_array_equal(_values(F.maxout(device.send(x), 3)), [[5.0, -1.0]])
    numpy.testing.assert_array_equal(_grad(lambda v: F.maxout(v, 3), device, x),
                                     [[0.0, 1.0, 0.0, 1.0, 0.0, 0.0]])


def test_maxout_pools_along_a_later_axis(device, dtype, rng):
    x = rng.uniform(-1, 1, (2, 3, 4)).astype(dtype)
    y = _values(F.maxout(device.send(x), 2, axis=2))
    numpy.testing.assert_array_equal(y, x.reshape(2, 3, 2, 2).max(axis=3))


def test_maxout_argument_errors(device):
    x = device.send(numpy.zeros((2, 6), dtype='float32'))
    with pytest.raises(InvalidType, match='pool_size'):
        F.maxout(x, 4)
    with pytest.raises(ValueError, match='maxout: expected a positive pool_size, received 0'):
        F.maxout(x, 0)
    with pytest.raises(TypeError, match='maxout: expected pool_size to be an int'):
        F.maxout(x, 2.0)


def test_prelu_slope_broadcasts_over_trailing_axes(device, dtype):
    x = -numpy.ones((2, 3, 4), dtype=dtype)
    W = numpy.array([0.1, 0.2, 0.3], dtype=dtype)  # noqa: N806
    y = _values(F.prelu(device.send(x), device.send(W)))
    numpy.testing.assert_allclose(y, -numpy.broadcast_to(W[:, None], (2, 3, 4)), rtol=1e-6)


def test_prelu_gradient_of_W_sums_negative_inputs(device, dtype):
    x = polychain.Variable(device.send(numpy.array([[-1.0, 2.0], [-3.0, -4.0]], dtype=dtype)))
    W = polychain.Variable(device.send(numpy.array([0.5, 0.5], dtype=dtype)))  # noqa: N806
    gw, = polychain.grad([F.prelu(x, W)], [W], [device.send(numpy.ones((2, 2), dtype=dtype))])
    numpy.testing.assert_allclose(to_host(gw.array), [-4.0, -4.0])


@pytest.mark.parametrize('w_shape', [(4,), (3, 5), (2, 3, 4)])
def test_prelu_rejects_W_not_matching_the_axes_after_the_batch(device, w_shape):
    x = device.send(numpy.zeros((2, 3, 4), dtype='float32'))
    W = device.send(numpy.zeros(w_shape, dtype='float32'))  # noqa: N806
    with pytest.raises(InvalidType, match=r'W.shape == x.shape\[1:1 \+ W.ndim\]'):
        F.prelu(x, W)
