"""broadcast_to and sum_to against NumPy."""

import numpy
import pytest

import polychain
import polychain.functions as F

from .function_checks import FunctionCase, check_forward, check_gradients


def _sum_to_reference(x, shape):
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1)
    return numpy.sum(x, axis=axes, keepdims=True).reshape(shape)


def _broadcast_case(in_shape, shape):
    return FunctionCase(f'broadcast_to_{in_shape}_{shape}', lambda x: F.broadcast_to(x, shape),
                        lambda x: numpy.broadcast_to(x, shape), (in_shape,))


def _sum_to_case(in_shape, shape):
    return FunctionCase(f'sum_to_{in_shape}_{shape}', lambda x: F.sum_to(x, shape),
                        lambda x: _sum_to_reference(x, shape), (in_shape,))


CASES = [
    _broadcast_case((4,), (3, 4)), _broadcast_case((3, 1), (2, 3, 4)),
    _broadcast_case((), (2, 3)), _broadcast_case((1, 1), (1, 5)),
    _sum_to_case((3, 4), (4,)), _sum_to_case((2, 3, 4), (3, 1)), _sum_to_case((2, 3), ()),
    _sum_to_case((2, 3, 4), (1, 3, 4)),
]


@pytest.mark.parametrize('case', CASES, ids=str)
def test_forward(case, device, dtype, rng):
    check_forward(case, device, dtype, rng)


@pytest.mark.parametrize('case', CASES, ids=str)
def test_gradients(case, device, dtype, tolerance, rng):
    check_gradients(case, device, dtype, tolerance, rng)


@pytest.mark.parametrize('function', [F.broadcast_to, F.sum_to])
def test_same_shape_returns_the_input(function, device):
    x = polychain.Variable(device.send(numpy.ones((2, 3), dtype='f')))
    assert function(x, (2, 3)) is x


def test_shape_may_be_an_int(device):
    x = polychain.Variable(device.send(numpy.ones((1,), dtype='f')))
    assert F.broadcast_to(x, 4).shape == (4,)
    assert F.sum_to(F.broadcast_to(x, (3, 4)), 4).shape == (4,)


def test_sum_to_a_longer_shape_raises(device):
    x = polychain.Variable(device.send(numpy.ones((3,), dtype='f')))
    with pytest.raises(ValueError, match='sum_to'):
        F.sum_to(x, (2, 3))
