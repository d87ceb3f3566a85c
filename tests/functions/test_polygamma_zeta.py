"""polygamma of elementwise orders and the Hurwitz zeta function: values, gradients, checks."""

import math

import array_api_compat.numpy as xp_numpy
import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.functions.math.special_generic import generic_polygamma_orders, generic_zeta
from polychain.utils.type_check import InvalidType

_ZETA3 = 1.2020569031595942
_EULER_GAMMA = 0.5772156649015329


def _send(device, values, dtype='float64'):
    return device.send(numpy.asarray(values, dtype=dtype))


def test_polygamma_takes_one_order_per_element(device):
    n = _send(device, [0, 1, 2], 'int32')
    y = F.polygamma(n, polychain.Variable(_send(device, [1.0, 1.0, 1.0])))
    numpy.testing.assert_allclose(to_host(y.array),
                                  [-_EULER_GAMMA, math.pi ** 2 / 6, -2 * _ZETA3], rtol=1e-12)


def test_polygamma_gradient_is_the_next_order(device):
    n = _send(device, [0, 1], 'int32')
    x = polychain.Variable(_send(device, [2.0, 3.0]))
    gx, = polychain.grad([F.sum(F.polygamma(n, x))], [x], enable_double_backprop=True)
    expected = to_host(F.polygamma(_send(device, [1, 2], 'int32'), x).array)
    numpy.testing.assert_allclose(to_host(gx.array), expected, rtol=1e-12)
    ggx, = polychain.grad([F.sum(gx)], [x])
    expected = to_host(F.polygamma(_send(device, [2, 3], 'int32'), x).array)
    numpy.testing.assert_allclose(to_host(ggx.array), expected, rtol=1e-12)


def test_polygamma_rejects_float_orders(device):
    with pytest.raises(InvalidType):
        F.polygamma(_send(device, [1.0]), _send(device, [1.0]))


def test_zeta_values(device):
    x = _send(device, [2.0, 3.0, 2.0])
    y = F.zeta(x, polychain.Variable(_send(device, [1.0, 1.0, 0.5])))
    numpy.testing.assert_allclose(to_host(y.array), [math.pi ** 2 / 6, _ZETA3, math.pi ** 2 / 2],
                                  rtol=1e-12)


def test_zeta_takes_the_dtype_of_q(device):
    y = F.zeta(_send(device, [2.5]), _send(device, [1.5], 'float32'))
    assert to_host(y.array).dtype == numpy.float32


def test_zeta_gradient(device):
    x = _send(device, [2.0, 3.5])
    q = polychain.Variable(_send(device, [1.0, 2.0]))
    gq, = polychain.grad([F.sum(F.zeta(x, q))], [q], enable_double_backprop=True)
    expected = -to_host(x) * to_host(F.zeta(_send(device, [3.0, 4.5]), q).array)
    numpy.testing.assert_allclose(to_host(gq.array), expected, rtol=1e-12)
    ggq, = polychain.grad([F.sum(gq)], [q])
    expected = to_host(x) * (to_host(x) + 1) * to_host(F.zeta(_send(device, [4.0, 5.5]), q).array)
    numpy.testing.assert_allclose(to_host(ggq.array), expected, rtol=1e-12)


def test_generic_forms():
    q = numpy.array([1.0, 0.5, 3.0])
    expected = [math.pi ** 2 / 6, math.pi ** 2 / 2, sum(k ** -40.0 for k in (3, 4, 5, 6))]
    numpy.testing.assert_allclose(generic_zeta(xp_numpy, numpy.array([2.0, 2.0, 40.0]), q),
                                  expected, rtol=1e-13)
    n = numpy.array([0, 1, 2])
    numpy.testing.assert_allclose(generic_polygamma_orders(xp_numpy, n, numpy.ones(3)),
                                  [-_EULER_GAMMA, math.pi ** 2 / 6, -2 * _ZETA3], rtol=1e-13)
