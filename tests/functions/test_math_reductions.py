"""Reductions and cumulative functions: stability, zeros in products, Chainer's semantics."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import gradient_check
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def _variable(device, values, dtype='float64'):
    return polychain.Variable(device.send(numpy.asarray(values, dtype=dtype)))


@pytest.mark.parametrize('offset', [1000.0, -1000.0])
def test_logsumexp_is_stable_far_from_zero(device, dtype, offset):
    # float32 holds 1000 + x to about 6e-5: that bounds the gradient's accuracy
    rtol = 1e-3 if dtype == numpy.float32 else 1e-9
    values = numpy.array([[0.0, 1.0, 2.0], [-1.0, 0.5, 3.0]]) + offset
    x = _variable(device, values, dtype)
    y = F.logsumexp(x, axis=1)
    shifted = values - offset
    expected = numpy.log(numpy.exp(shifted).sum(axis=1)) + offset
    numpy.testing.assert_allclose(to_host(y.array), expected, rtol=rtol)
    y.grad = device.send(numpy.ones(2, dtype=dtype))
    y.backward()
    softmax = numpy.exp(shifted) / numpy.exp(shifted).sum(axis=1, keepdims=True)
    numpy.testing.assert_allclose(to_host(x.grad), softmax, rtol=rtol, atol=rtol)


@pytest.mark.parametrize('values', [[2.0, 0.0, 3.0, 0.5], [0.0, 0.0, 3.0, 0.5]])
def test_prod_gradient_is_exact_with_zeros(device, values):
    x = _variable(device, values)
    F.prod(x).backward()
    expected = [numpy.prod(numpy.delete(values, i)) for i in range(len(values))]
    numpy.testing.assert_array_equal(to_host(x.grad), expected)


@pytest.mark.parametrize('axis', [None, 2, (0, -1)])
def test_prod_over_an_empty_axis_is_one_with_an_empty_gradient(device, axis):
    x = _variable(device, numpy.ones((3, 1, 0)))
    y = F.prod(x, axis=axis)
    numpy.testing.assert_array_equal(to_host(y.array), numpy.prod(numpy.ones((3, 1, 0)), axis))
    F.sum(y).backward()
    assert x.grad.shape == (3, 1, 0)


def test_cumprod_gradient_is_exact_with_zeros(device):
    values = numpy.array([[1.5, 0.0, -2.0, 0.5]])
    x = _variable(device, values)
    gradient_check.check_backward(lambda v: F.cumprod(v, axis=1), x.array,
                                  device.send(numpy.ones((1, 4))), eps=1e-5, atol=1e-8,
                                  rtol=1e-7)
    gradient_check.check_double_backward(lambda v: F.cumprod(v, axis=1), x.array,
                                         device.send(numpy.ones((1, 4))),
                                         device.send(numpy.full((1, 4), 0.5)), eps=1e-5,
                                         atol=1e-8, rtol=1e-7)


@pytest.mark.parametrize('function', [F.argmax, F.argmin])
def test_arg_extrema_are_int32(device, function):
    x = _variable(device, [[1.0, 3.0, 2.0], [4.0, 0.0, 5.0]])
    y = function(x, axis=1)
    assert to_host(y.array).dtype == numpy.int32
    expected = [1, 2] if function is F.argmax else [0, 1]
    numpy.testing.assert_array_equal(to_host(y.array), expected)


def test_max_gradient_goes_to_every_tied_element(device):
    x = _variable(device, [[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]])
    F.sum(F.max(x, axis=1)).backward()
    numpy.testing.assert_array_equal(to_host(x.grad), [[0, 1, 1], [1, 0, 0]])


@pytest.mark.parametrize('function', [F.floor, F.ceil, F.fix, F.sign])
def test_piecewise_constant_functions_pass_no_gradient(device, function):
    x = _variable(device, [-1.5, 0.5, 2.25])
    gx, = polychain.grad([F.sum(function(x))], [x])
    assert gx is None
    assert to_host(function(x).array).dtype == numpy.float64


def test_fix_rounds_towards_zero(device):
    x = _variable(device, [-1.5, -0.5, 0.5, 1.5])
    numpy.testing.assert_array_equal(to_host(F.fix(x).array), [-1.0, -0.0, 0.0, 1.0])


def test_cumsum_without_axis_flattens(device):
    x = _variable(device, [[1.0, 2.0], [3.0, 4.0]])
    numpy.testing.assert_array_equal(to_host(F.cumsum(x).array), [1.0, 3.0, 6.0, 10.0])


def test_average_checks_weights(device):
    x = _variable(device, numpy.ones((2, 3)))
    with pytest.raises(ValueError, match='average: expected weights of shape \\(3,\\)'):
        F.average(x, axis=1, weights=device.send(numpy.ones(2)))
    with pytest.raises(ValueError, match='average: expected an int axis'):
        F.average(x, axis=(0, 1), weights=device.send(numpy.ones(3)))
    with pytest.raises(ValueError, match='average: expected weights of shape \\(2, 3\\)'):
        F.average(x, weights=device.send(numpy.ones(3)))


@pytest.mark.parametrize('axis, error', [(2, InvalidType), (-3, InvalidType),
                                         (numpy.int64(2), InvalidType), ((0, 0), ValueError),
                                         ([0], TypeError), ((1, 'x'), TypeError)])
def test_reductions_name_themselves_on_bad_axes(device, axis, error):
    x = _variable(device, numpy.ones((2, 3)))
    for function, name in ((F.max, 'Max'), (F.prod, 'prod'), (F.logsumexp, 'logsumexp')):
        with pytest.raises(error, match=name):
            function(x, axis=axis)


@pytest.mark.parametrize('function', [F.cumsum, F.cumprod, F.argmax, F.argmin])
def test_single_axis_functions_reject_tuples(device, function):
    x = _variable(device, numpy.ones((2, 3)))
    with pytest.raises(TypeError):
        function(x, (0,))
    assert function(x, numpy.int64(1)).shape in ((2, 3), (2,))
