"""Debug mode (``config.debug``): only NaN is an error, in forward and in backward (Chainer)."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F


def _variable(device, values):
    return polychain.Variable(device.send(numpy.asarray(values, 'float32')))


def _host(array):
    return polychain.get_device('@numpy').send(array)


def test_minus_infinity_through_a_where_mask_is_accepted(device):
    x = _variable(device, [[1.0, 2.0, 3.0]])
    mask = device.send(numpy.asarray([[True, False, True]]))
    minus_inf = device.send(numpy.full((1, 3), -numpy.inf, 'float32'))
    with polychain.using_config('debug', True):
        y = F.softmax(F.where(mask, x, minus_inf))
        F.sum(y * y).backward()
    assert _host(y.array)[0, 1] == 0
    assert numpy.isfinite(_host(x.grad)).all()


def test_log_of_zero_feeding_a_max_is_accepted_in_forward(device):
    x = _variable(device, [0.0, 2.0, 3.0])
    with polychain.using_config('debug', True):
        y = F.max(F.log(x))
        numpy.testing.assert_allclose(_host(y.array), numpy.log(3.0), rtol=1e-6)
        # Its gradient is 0 / 0 at the zero (NaN without debug mode too): an error, as in Chainer.
        with pytest.raises(RuntimeError, match='NaN is detected on backward computation of Log'):
            y.backward()


def test_an_infinite_gradient_is_accepted(device):
    x = _variable(device, [0.0, 4.0])
    with polychain.using_config('debug', True):
        F.sum(F.sqrt(x)).backward()
    assert _host(x.grad)[0] == numpy.inf


def test_nan_in_forward_names_the_function(device):
    x = _variable(device, [-1.0, 4.0])
    with polychain.using_config('debug', True), \
            pytest.raises(RuntimeError, match='NaN is detected on forward computation of Log'):
        F.log(x)


@pytest.mark.parametrize('double', [False, True])
def test_nan_in_backward_names_the_forward_function(device, double):
    x = _variable(device, [0.0, 4.0])
    with polychain.using_config('debug', True):
        y = F.sum(F.sqrt(x) * 0)
        with pytest.raises(RuntimeError,
                           match='NaN is detected on backward computation of Sqrt'):
            y.backward(enable_double_backprop=double)


def test_nan_in_backward_through_grad_names_the_forward_function(device):
    x = _variable(device, [0.0, 4.0])
    with polychain.using_config('debug', True):
        y = F.sum(F.sqrt(x) * 0)
        with pytest.raises(RuntimeError,
                           match='NaN is detected on backward computation of Sqrt'):
            polychain.grad([y], [x])

