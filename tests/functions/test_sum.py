"""sum and mean (with axis, keepdims and weights) against NumPy."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.utils.type_check import InvalidType

from .function_checks import FunctionCase, check_forward, check_gradients, uniform


def _sum_case(axis, keepdims=False, shape=(2, 3, 4)):
    return FunctionCase(f'sum_axis{axis}_keepdims{keepdims}_{shape}',
                        lambda x: F.sum(x, axis=axis, keepdims=keepdims),
                        lambda x: numpy.sum(x, axis=axis, keepdims=keepdims), (shape,))


def _mean_case(axis, keepdims=False):
    return FunctionCase(f'mean_axis{axis}_keepdims{keepdims}',
                        lambda x: F.mean(x, axis=axis, keepdims=keepdims),
                        lambda x: numpy.mean(x, axis=axis, keepdims=keepdims), ((2, 3, 4),))


def _weighted_mean_case(axis, weights_length):
    return FunctionCase(f'mean_axis{axis}_weighted',
                        lambda x, w: F.mean(x, axis=axis, weights=w),
                        lambda x, w: numpy.average(x, axis=axis, weights=w),
                        ((2, 3, 4), (weights_length,)), samplers=(uniform(), uniform(0.5, 2.0)))


CASES = [
    _sum_case(None), _sum_case(0), _sum_case(1), _sum_case(-1), _sum_case((0, 2)),
    _sum_case(None, keepdims=True), _sum_case((0, 2), keepdims=True), _sum_case(None, shape=()),
    _sum_case(0, shape=(5,)),
    _mean_case(None), _mean_case(1), _mean_case((0, 1)), _mean_case(-1, keepdims=True),
    _weighted_mean_case(1, 3), _weighted_mean_case(-1, 4),
]


@pytest.mark.parametrize('case', CASES, ids=str)
def test_forward(case, device, dtype, rng):
    check_forward(case, device, dtype, rng)


@pytest.mark.parametrize('case', CASES, ids=str)
def test_gradients(case, device, dtype, tolerance, rng):
    check_gradients(case, device, dtype, tolerance, rng)


@pytest.mark.parametrize('axis, error', [(3, InvalidType), (-4, InvalidType), ((0, 0), ValueError),
                                         ([0], TypeError), ((1, 'x'), TypeError)])
def test_sum_rejects_bad_axes(axis, error, device):
    x = polychain.Variable(device.send(numpy.ones((2, 3, 4), dtype='f')))
    with pytest.raises(error, match='sum'):
        F.sum(x, axis=axis)


@pytest.mark.parametrize('axis', [None, (0, 1)])
def test_weighted_mean_needs_one_axis(axis, device):
    x = polychain.Variable(device.send(numpy.ones((2, 3), dtype='f')))
    w = device.send(numpy.ones(3, dtype='f'))
    with pytest.raises(ValueError, match='mean'):
        F.mean(x, axis=axis, weights=w)


def test_mean_of_float16_does_not_overflow(device):
    if getattr(device.xp, 'float16', None) is None:
        pytest.skip(f'{device} has no float16')
    host = numpy.full((30, 20, 40), 6000, dtype='float16')
    y = F.mean(polychain.Variable(device.send(host)))
    assert y.dtype == host.dtype
    numpy.testing.assert_allclose(float(polychain.backend.to_host(y.array)), 6000.0)


def test_variable_mean_is_average(device):
    host = numpy.arange(6, dtype='float64').reshape(2, 3)
    w = numpy.array([1.0, 2.0, 3.0])
    x = polychain.Variable(device.send(host))
    numpy.testing.assert_allclose(polychain.backend.to_host(x.mean(axis=0).array),
                                  host.mean(axis=0))
    y = x.mean(axis=1, weights=device.send(w), keepdims=True)
    numpy.testing.assert_allclose(polychain.backend.to_host(y.array),
                                  numpy.average(host, axis=1, weights=w)[:, None])
