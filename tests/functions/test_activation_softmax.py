"""softmax and log_softmax: Chainer's default axis, extreme logits, and axis errors."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType

EXTREME = numpy.array([[1000.0, -1000.0, 0.0, 999.0],
                       [-1000.0, -1000.0, -1000.0, -1000.0],
                       [1000.0, 1000.0, 1000.0, 1000.0]])


def _softmax(x, axis):
    e = numpy.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_default_axis_is_one(device, dtype, rng):
    x = rng.uniform(-2, 2, (2, 3, 4)).astype(dtype)
    y = to_host(F.softmax(device.send(x)).array)
    numpy.testing.assert_allclose(y.sum(axis=1), numpy.ones((2, 4)), rtol=1e-5)
    numpy.testing.assert_allclose(y, _softmax(x.astype(numpy.float64), 1), rtol=1e-5,
                                  atol=1e-6)
    log_y = to_host(F.log_softmax(device.send(x)).array)
    numpy.testing.assert_allclose(log_y, numpy.log(_softmax(x.astype(numpy.float64), 1)),
                                  rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('axis', [1, -1])
def test_extreme_logits_stay_finite(device, dtype, axis):
    x = polychain.Variable(device.send(EXTREME.astype(dtype)))
    y = F.softmax(x, axis=axis)
    log_y = F.log_softmax(x, axis=axis)
    expected = _softmax(EXTREME, axis)
    numpy.testing.assert_allclose(to_host(y.array), expected, atol=1e-6)
    with numpy.errstate(divide='ignore'):
        expected_log = EXTREME - EXTREME.max(axis=axis, keepdims=True) - numpy.log(
            numpy.exp(EXTREME - EXTREME.max(axis=axis, keepdims=True)).sum(
                axis=axis, keepdims=True))
    numpy.testing.assert_allclose(to_host(log_y.array), expected_log, rtol=1e-6, atol=1e-4)
    gy = device.send(numpy.ones(EXTREME.shape, dtype=dtype))
    for out in (y, log_y):
        gx, = polychain.grad([out], [x], [gy])
        assert numpy.isfinite(to_host(gx.array)).all()


def test_log_softmax_gradient_at_extreme_logits(device, dtype):
    # d/dx sum(w * log_softmax(x)) = w - softmax(x) * sum(w)
    x = polychain.Variable(device.send(EXTREME.astype(dtype)))
    w = numpy.arange(EXTREME.size, dtype=dtype).reshape(EXTREME.shape) / 10
    gx, = polychain.grad([F.log_softmax(x)], [x], [device.send(w)])
    expected = w - _softmax(EXTREME, 1) * w.sum(axis=1, keepdims=True)
    numpy.testing.assert_allclose(to_host(gx.array), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('function', [F.softmax, F.log_softmax])
def test_axis_out_of_range_raises_invalid_type(device, function):
    x = device.send(numpy.zeros((2, 3), dtype='float32'))
    with pytest.raises(InvalidType, match='axis'):
        function(x, axis=2)
