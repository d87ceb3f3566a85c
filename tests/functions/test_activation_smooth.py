"""elu, selu, softplus, swish and gelu: defaults, extreme inputs and argument errors."""

import math

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.functions.math.erf import erf_array, generic_erf
from polychain.utils.type_check import InvalidType

LARGE = numpy.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])


def _value_and_grad(function, device, x):
    """``function(x)`` and the gradient of its sum, on the host."""
    variable = polychain.Variable(device.send(x))
    y = function(variable)
    gx, = polychain.grad([y], [variable], [device.send(numpy.ones(y.shape, dtype=x.dtype))])
    return to_host(y.array), to_host(gx.array)


@pytest.mark.parametrize('beta', [1.0, 3.0])
def test_softplus_stays_finite_on_large_inputs(device, dtype, beta):
    y, gx = _value_and_grad(lambda v: F.softplus(v, beta), device, LARGE.astype(dtype))
    numpy.testing.assert_allclose(y, numpy.logaddexp(0.0, beta * LARGE) / beta, rtol=1e-6,
                                  atol=1e-30)
    numpy.testing.assert_allclose(gx, [0.0, 0.0, 0.5, 1.0, 1.0], atol=1e-7)


def test_softplus_approaches_relu_as_beta_grows(device, dtype):
    x = numpy.array([-1.0, 1.0], dtype=dtype)
    y = to_host(F.softplus(device.send(x), beta=100.0).array)
    numpy.testing.assert_allclose(y, [0.0, 1.0], atol=1e-6)


def test_elu_large_inputs_give_finite_gradients(device, dtype):
    y, gx = _value_and_grad(F.elu, device, LARGE.astype(dtype))
    numpy.testing.assert_allclose(y, [-1.0, -1.0, 0.0, 50.0, 1000.0], rtol=1e-6)
    numpy.testing.assert_allclose(gx, [0.0, 0.0, 1.0, 1.0, 1.0], atol=1e-7)


def test_selu_uses_the_self_normalizing_constants(device, dtype):
    y = to_host(F.selu(device.send(numpy.array([-1000.0, 1.0], dtype=dtype))).array)
    numpy.testing.assert_allclose(y, [-1.6732632423543772 * 1.0507009873554805,
                                      1.0507009873554805], rtol=1e-6)


def test_swish_beta_gradient(device, dtype):
    x = polychain.Variable(device.send(numpy.array([[1.0, -2.0]], dtype=dtype)))
    beta = polychain.Variable(device.send(numpy.array([0.5, 2.0], dtype=dtype)))
    gbeta, = polychain.grad([F.swish(x, beta)], [beta],
                            [device.send(numpy.ones((1, 2), dtype=dtype))])
    xs, bs = numpy.array([1.0, -2.0]), numpy.array([0.5, 2.0])
    s = 1.0 / (1.0 + numpy.exp(-bs * xs))
    numpy.testing.assert_allclose(to_host(gbeta.array), xs * xs * s * (1 - s), rtol=1e-5)


def test_swish_rejects_beta_not_matching_the_axes_after_the_batch(device):
    x = device.send(numpy.zeros((2, 3), dtype='float32'))
    beta = device.send(numpy.zeros((2,), dtype='float32'))
    with pytest.raises(InvalidType, match=r'swish[\s\S]*beta.shape'):
        F.swish(x, beta)


@pytest.mark.parametrize('approximate', ['none', 'tanh'])
def test_gelu_known_values_and_large_inputs(device, dtype, approximate):
    x = numpy.array([-1000.0, -1.0, 0.0, 1.0, 1000.0], dtype=dtype)
    y, gx = _value_and_grad(lambda v: F.gelu(v, approximate=approximate), device, x)
    phi_1 = 0.5 * (1.0 + math.erf(1.0 / math.sqrt(2.0)))
    tolerance = 1e-6 if approximate == 'none' else 1e-3
    numpy.testing.assert_allclose(y, [0.0, -(1 - phi_1), 0.0, phi_1, 1000.0], atol=tolerance)
    assert numpy.isfinite(gx).all()
    numpy.testing.assert_allclose(gx[[0, 2, 4]], [0.0, 0.5, 1.0], atol=tolerance)


def test_gelu_rejects_unknown_approximation(device):
    with pytest.raises(ValueError, match="gelu: expected approximate to be one of"):
        F.gelu(device.send(numpy.zeros(2, dtype='float32')), approximate=True)


def test_generic_erf_matches_the_standard_library_in_float64(device):
    x = numpy.concatenate([numpy.linspace(-7.0, 7.0, 1401), [-1e3, -30.0, 30.0, 1e3]])
    expected = numpy.array([math.erf(v) for v in x])
    result = to_host(generic_erf(device.namespace, device.send(x)))
    numpy.testing.assert_allclose(result, expected, rtol=1e-14, atol=1e-15)


def test_erf_kernel_and_generic_erf_agree(device, dtype):
    x = device.send(numpy.linspace(-4.0, 4.0, 101, dtype=dtype))
    y = to_host(erf_array(device, x))
    numpy.testing.assert_allclose(y, to_host(generic_erf(device.namespace, x)), atol=2e-6)
