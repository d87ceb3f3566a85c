"""Elementwise math: Chainer's argument checks, edge values and the generic special functions."""

import math

import array_api_compat.numpy as xp_numpy
import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.functions.math.erf import generic_erf
from polychain.functions.math.special_generic import (
    generic_erfc,
    generic_erfinv,
    generic_lgamma,
    generic_polygamma,
)
from polychain.utils.type_check import InvalidType


def _variable(device, values, dtype='float64'):
    return polychain.Variable(device.send(numpy.asarray(values, dtype=dtype)))


def test_clip_rejects_missing_or_reversed_bounds():
    x = numpy.zeros(3)
    with pytest.raises(ValueError, match='clip: expected x_min or x_max'):
        F.clip(x, None, None)
    with pytest.raises(ValueError, match='clip: expected x_min < x_max'):
        F.clip(x, 1.0, 0.0)


def test_clip_rejects_integer_input(device):
    with pytest.raises(InvalidType, match=r'x\.dtype\.kind == "f"'):
        F.clip(device.send(numpy.arange(3)), 0.0, 1.0)


def test_clip_gradient_is_one_at_the_bounds(device):
    x = _variable(device, [-2.0, -1.0, 0.0, 1.0, 2.0])
    F.sum(F.clip(x, -1.0, 1.0)).backward()
    numpy.testing.assert_array_equal(to_host(x.grad), [0, 1, 1, 1, 0])


def test_maximum_tie_gives_gradient_to_first(device):
    a, b = _variable(device, [1.0, 2.0]), _variable(device, [1.0, 3.0])
    F.sum(F.maximum(a, b)).backward()
    numpy.testing.assert_array_equal(to_host(a.grad), [1, 0])
    numpy.testing.assert_array_equal(to_host(b.grad), [0, 1])


def test_fmod_takes_the_sign_of_the_dividend(device):
    x = _variable(device, [-5.5, 5.5, -5.5, 5.5, 4.0])
    d = _variable(device, [2.0, 2.0, -2.0, -2.0, 2.0])
    numpy.testing.assert_array_equal(to_host(F.fmod(x, d).array),
                                     numpy.fmod(to_host(x.array), to_host(d.array)))


def test_fmod_of_float16_is_exact(device):
    if getattr(device.xp, 'float16', None) is None:
        pytest.skip(f'{device} has no float16')
    x = numpy.array([0.08978271484375, -0.05780029296875, 0.1361083984375], dtype='float16')
    d = numpy.array([-0.4990234375, 0.4638671875, -0.73681640625], dtype='float16')
    y = F.fmod(device.send(x), device.send(d))
    numpy.testing.assert_array_equal(to_host(y.array), numpy.fmod(x, d))


def test_erfinv_is_infinite_at_one(device):
    y = to_host(F.erfinv(_variable(device, [-1.0, 0.0, 1.0])).array)
    assert y[0] == -numpy.inf and y[1] == 0.0 and y[2] == numpy.inf


def test_erfc_keeps_relative_precision_in_the_tail(device):
    y = to_host(F.erfc(_variable(device, [5.0, 10.0])).array)
    numpy.testing.assert_allclose(y, [math.erfc(5.0), math.erfc(10.0)], rtol=1e-12)


def test_lgamma_between_poles(device):
    x = [-2.5, -0.5, 0.5, 1.0, 2.0, 7.5]
    y = to_host(F.lgamma(_variable(device, x)).array)
    numpy.testing.assert_allclose(y, [math.lgamma(v) for v in x], rtol=1e-12, atol=1e-13)


def test_digamma_is_derivative_of_lgamma(device):
    x = _variable(device, [-2.5, 0.3, 1.0, 6.0])
    F.sum(F.lgamma(x)).backward()
    numpy.testing.assert_allclose(to_host(x.grad), to_host(F.digamma(x).array), rtol=1e-14)
    euler_gamma = 0.5772156649015329
    assert to_host(F.digamma(_variable(device, [1.0])).array)[0] == \
        pytest.approx(-euler_gamma, rel=1e-12)


def test_generic_special_functions_match_reference_values():
    x = numpy.array([-4.5, -1.2, -0.3, 0.2, 1.0, 2.6, 8.0])
    numpy.testing.assert_allclose(generic_erf(xp_numpy, x), [math.erf(v) for v in x],
                                  rtol=1e-14, atol=1e-15)
    numpy.testing.assert_allclose(generic_erfc(xp_numpy, x), [math.erfc(v) for v in x],
                                  rtol=1e-12)
    numpy.testing.assert_allclose(generic_lgamma(xp_numpy, x), [math.lgamma(v) for v in x],
                                  rtol=1e-12, atol=1e-14)
    y = numpy.array([-0.999, -0.5, 0.0, 0.3, 0.9999])
    inverse = generic_erfinv(xp_numpy, y, lambda v: generic_erf(xp_numpy, v))
    numpy.testing.assert_allclose([math.erf(v) for v in inverse], y, rtol=1e-14, atol=1e-16)
    # trigamma(1) = pi^2 / 6, digamma(1/2) = -gamma - 2 log 2
    assert generic_polygamma(xp_numpy, 1, numpy.array([1.0]))[0] == \
        pytest.approx(math.pi ** 2 / 6, rel=1e-13)
    assert generic_polygamma(xp_numpy, 0, numpy.array([0.5]))[0] == \
        pytest.approx(-0.5772156649015329 - 2 * math.log(2.0), rel=1e-13)


def test_special_functions_have_second_derivatives(device):
    x = _variable(device, [0.7, 1.3, 2.2])
    for function in (F.erfc, F.lgamma, F.digamma):
        gx, = polychain.grad([F.sum(function(x))], [x], enable_double_backprop=True)
        ggx, = polychain.grad([F.sum(gx)], [x])
        assert ggx is not None and numpy.isfinite(to_host(ggx.array)).all()


def test_special_functions_keep_float32(device):
    x = _variable(device, [0.5, 1.5], 'float32')
    for function in (F.erf, F.erfc, F.erfinv, F.lgamma, F.digamma):
        assert to_host(function(x * 0.5).array).dtype == numpy.float32


@pytest.mark.parametrize('name', ['sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan'])
def test_trigonometric_labels_are_the_function_names(name, device):
    y = getattr(F, name)(_variable(device, [0.5]))
    assert y.creator.label == name
