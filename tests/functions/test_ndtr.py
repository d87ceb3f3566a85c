"""ndtr, log_ndtr, ndtri, erfcx and erfcinv: values in the tails, gradients, generic forms."""

import math

import array_api_compat.numpy as xp_numpy
import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.functions.math.erf import generic_erf
from polychain.functions.math.special_generic import (
    generic_erfcx,
    generic_erfinv,
    generic_log_ndtr,
    generic_ndtr,
)


def _variable(device, values, dtype='float64'):
    return polychain.Variable(device.send(numpy.asarray(values, dtype=dtype)))


def _values(function, device, values, dtype='float64'):
    return to_host(function(_variable(device, values, dtype)).array)


def test_ndtr_values(device):
    numpy.testing.assert_allclose(_values(F.ndtr, device, [0.0, 1.96, -1.96]),
                                  [0.5, 0.9750021048517795, 0.024997895148220435], rtol=1e-12)


def test_log_ndtr_is_finite_far_in_the_left_tail(device):
    y = _values(F.log_ndtr, device, [-40.0, 0.0, 10.0])
    numpy.testing.assert_allclose(y[:2], [-804.6084420137538, math.log(0.5)], rtol=1e-12)
    assert -1e-22 < y[2] < 0  # log(1 - 7.6e-24), not rounded to 0 by log(ndtr)


def test_erfcx_does_not_overflow(device):
    numpy.testing.assert_allclose(_values(F.erfcx, device, [30.0, 0.0, -1.0]),
                                  [0.01879588886141676, 1.0, math.e * math.erfc(-1.0)],
                                  rtol=1e-12)


def test_ndtri_and_erfcinv_invert_ndtr_and_erfc(device):
    numpy.testing.assert_allclose(_values(F.ndtri, device, [0.975, 0.5]),
                                  [1.959963984540054, 0.0], rtol=1e-12, atol=1e-15)
    numpy.testing.assert_allclose(_values(F.erfcinv, device, [0.5, 1.0, 1.5]),
                                  [0.4769362762044699, 0.0, -0.4769362762044699],
                                  rtol=1e-12, atol=1e-15)


def test_float32_stays_float32(device):
    x = _variable(device, [0.25, 0.75], 'float32')
    for function in (F.ndtr, F.log_ndtr, F.ndtri, F.erfcx, F.erfcinv):
        assert to_host(function(x).array).dtype == numpy.float32


@pytest.mark.parametrize('name, derivative', [
    ('ndtr', lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)),
    ('log_ndtr', lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi) /
     (0.5 * math.erfc(-x / math.sqrt(2)))),
    ('erfcx', lambda x: 2 * x * math.exp(x * x) * math.erfc(x) - 2 / math.sqrt(math.pi)),
])
def test_gradients(name, derivative, device):
    values = [-1.5, 0.2, 0.9]
    x = _variable(device, values)
    F.sum(getattr(F, name)(x)).backward()
    numpy.testing.assert_allclose(to_host(x.grad), [derivative(v) for v in values], rtol=1e-10)


def test_gradients_of_the_inverses(device):
    p = _variable(device, [0.2, 0.6])
    F.sum(F.ndtri(p)).backward()
    y = to_host(F.ndtri(p).array)
    numpy.testing.assert_allclose(to_host(p.grad), math.sqrt(2 * math.pi) * numpy.exp(y * y / 2))
    q = _variable(device, [0.3, 1.2])
    F.sum(F.erfcinv(q)).backward()
    y = to_host(F.erfcinv(q).array)
    numpy.testing.assert_allclose(to_host(q.grad), -math.sqrt(math.pi) / 2 * numpy.exp(y * y))


def test_second_derivatives(device):
    x = _variable(device, [0.3, 0.6])
    for function in (F.ndtr, F.log_ndtr, F.ndtri, F.erfcx, F.erfcinv):
        gx, = polychain.grad([F.sum(function(x))], [x], enable_double_backprop=True)
        ggx, = polychain.grad([F.sum(gx)], [x])
        assert ggx is not None and numpy.isfinite(to_host(ggx.array)).all()


def test_generic_forms_match_the_math_module():
    x = numpy.array([-30.0, -6.0, -1.0, -0.1, 0.0, 0.7, 1.4, 1.6, 3.0, 8.0])
    ndtr = numpy.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in x])
    numpy.testing.assert_allclose(generic_ndtr(xp_numpy, x), ndtr, rtol=1e-12)
    numpy.testing.assert_allclose(generic_log_ndtr(xp_numpy, x[1:-1]), numpy.log(ndtr[1:-1]),
                                  rtol=1e-12)
    ends = generic_log_ndtr(xp_numpy, x[[0, -1]])
    numpy.testing.assert_allclose(ends, [-454.32124395634327, -6.22096057427174e-16],
                                  rtol=1e-12)
    erfcx = [math.exp(v * v) * math.erfc(v) for v in x[2:]]
    numpy.testing.assert_allclose(generic_erfcx(xp_numpy, x[2:]), erfcx, rtol=1e-12)
    y = numpy.array([0.1, 0.5, 1.0, 1.7])
    inverse = generic_erfinv(xp_numpy, 1.0 - y, lambda v: generic_erf(xp_numpy, v))
    numpy.testing.assert_allclose([math.erfc(v) for v in inverse], y, rtol=1e-13)
