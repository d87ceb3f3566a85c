"""transpose against NumPy."""

import numpy
import pytest

import polychain
import polychain.functions as F

from .function_checks import FunctionCase, check_forward, check_gradients


def _transpose_case(shape, axes):
    return FunctionCase(f'transpose_{shape}_{axes}', lambda x: F.transpose(x, axes),
                        lambda x: numpy.transpose(x, axes), (shape,))


CASES = [
    _transpose_case((3, 4), None), _transpose_case((2, 3, 4), None),
    _transpose_case((2, 3, 4), (1, 0, 2)), _transpose_case((2, 3, 4), (2, 0, 1)),
    _transpose_case((2, 3, 4), (-1, 0, 1)), _transpose_case((5,), None),
]


@pytest.mark.parametrize('case', CASES, ids=str)
def test_forward(case, device, dtype, rng):
    check_forward(case, device, dtype, rng)


@pytest.mark.parametrize('case', CASES, ids=str)
def test_gradients(case, device, dtype, tolerance, rng):
    check_gradients(case, device, dtype, tolerance, rng)


@pytest.mark.parametrize('axes', [(0, 1), (0, 0, 1), (0, 1, 3), (0, 1, -4)])
def test_invalid_axes_raise(axes, device):
    x = polychain.Variable(device.send(numpy.ones((2, 3, 4), dtype='f')))
    with pytest.raises(ValueError, match='transpose'):
        F.transpose(x, axes)
