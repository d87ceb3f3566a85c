"""linear (with and without bias, n_batch_axes) against NumPy."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.utils.type_check import InvalidType

from .function_checks import FunctionCase, check_forward, check_gradients


def _linear_reference(x, w, b=None, n_batch_axes=1):
    batch_shape = x.shape[:n_batch_axes]
    y = x.reshape(batch_shape + (-1,)) @ w.T
    return y if b is None else y + b


CASES = [
    FunctionCase('with_bias', F.linear, _linear_reference, ((4, 3), (2, 3), (2,))),
    FunctionCase('without_bias', F.linear, _linear_reference, ((4, 3), (2, 3))),
    FunctionCase('flattened_input', F.linear, _linear_reference, ((4, 2, 3), (5, 6), (5,))),
    FunctionCase('two_batch_axes', lambda x, w, b: F.linear(x, w, b, n_batch_axes=2),
                 lambda x, w, b: _linear_reference(x, w, b, n_batch_axes=2),
                 ((2, 3, 4), (5, 4), (5,))),
    FunctionCase('two_batch_axes_no_bias', lambda x, w: F.linear(x, w, n_batch_axes=2),
                 lambda x, w: _linear_reference(x, w, n_batch_axes=2), ((2, 3, 4), (5, 4))),
]


@pytest.mark.parametrize('case', CASES, ids=str)
def test_forward(case, device, dtype, rng):
    check_forward(case, device, dtype, rng)


@pytest.mark.parametrize('case', CASES, ids=str)
def test_gradients(case, device, dtype, tolerance, rng):
    check_gradients(case, device, dtype, tolerance, rng)


@pytest.mark.parametrize('w_shape, b_shape', [((2, 4), (2,)), ((2, 3), (3,))])
def test_mismatched_shapes_raise_invalid_type(w_shape, b_shape, device):
    x = polychain.Variable(device.send(numpy.ones((4, 3), dtype='f')))
    w = polychain.Variable(device.send(numpy.ones(w_shape, dtype='f')))
    b = polychain.Variable(device.send(numpy.ones(b_shape, dtype='f')))
    with pytest.raises(InvalidType) as info:
        F.linear(x, w, b)
    assert 'LinearFunction' in str(info.value)


def test_n_batch_axes_must_be_positive(device):
    x = polychain.Variable(device.send(numpy.ones((4, 3), dtype='f')))
    w = polychain.Variable(device.send(numpy.ones((2, 3), dtype='f')))
    with pytest.raises(ValueError, match='n_batch_axes'):
        F.linear(x, w, n_batch_axes=0)
