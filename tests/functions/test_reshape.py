"""reshape against NumPy."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.utils.type_check import InvalidType

from .function_checks import FunctionCase, check_forward, check_gradients


def _reshape_case(in_shape, shape):
    return FunctionCase(f'reshape_{in_shape}_{shape}', lambda x: F.reshape(x, shape),
                        lambda x: numpy.reshape(x, shape), (in_shape,))


CASES = [
    _reshape_case((2, 3, 4), (6, 4)), _reshape_case((2, 3, 4), (-1,)),
    _reshape_case((2, 3, 4), (4, -1)), _reshape_case((6,), (1, 2, 1, 3)),
    _reshape_case((1,), ()), _reshape_case((), (1, 1)),
]


@pytest.mark.parametrize('case', CASES, ids=str)
def test_forward(case, device, dtype, rng):
    check_forward(case, device, dtype, rng)


@pytest.mark.parametrize('case', CASES, ids=str)
def test_gradients(case, device, dtype, tolerance, rng):
    check_gradients(case, device, dtype, tolerance, rng)


def test_same_shape_returns_the_input(device):
    x = polychain.Variable(device.send(numpy.ones((2, 3), dtype='f')))
    assert F.reshape(x, (2, 3)) is x


@pytest.mark.parametrize('shape', [(4, 2), (-1, 4), (5, -1)])
def test_incompatible_size_raises_invalid_type(shape, device):
    x = polychain.Variable(device.send(numpy.ones((2, 3), dtype='f')))
    with pytest.raises(InvalidType) as info:
        F.reshape(x, shape)
    message = str(info.value)
    assert 'Reshape' in message
    assert '(2, 3)' in message
    assert str(shape) in message
