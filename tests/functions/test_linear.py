"""linear (with and without bias, n_batch_axes) against NumPy."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import gradient_check
from polychain.backend import to_host
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


@pytest.mark.parametrize('x_dtype, w_dtype', [('float16', 'float32'), ('float32', 'float64'),
                                              ('float64', 'float16')])
def test_weight_of_another_dtype_follows_chainer(x_dtype, w_dtype, device):
    # As in Chainer: y and gx have x's dtype, gW has W's; twice differentiable.
    if 'float16' in (x_dtype, w_dtype) and str(device) == '@strict':
        pytest.skip('array_api_strict has no float16')
    rng = numpy.random.default_rng(3)
    x = device.send(rng.uniform(-1, 1, (4, 3)).astype(x_dtype))
    w = device.send(rng.uniform(-1, 1, (2, 3)).astype(w_dtype))
    b = device.send(rng.uniform(-1, 1, (2,)).astype(x_dtype))
    gy = device.send(rng.uniform(-1, 1, (4, 2)).astype(x_dtype))
    ggs = [device.send(rng.uniform(-1, 1, a.shape).astype(to_host(a).dtype)) for a in (x, w, b)]
    y = F.linear(x, w, b)
    assert to_host(y.array).dtype == x_dtype
    numpy.testing.assert_allclose(
        to_host(y.array), to_host(x).astype('d') @ to_host(w).astype('d').T + to_host(b),
        rtol=1e-2, atol=1e-2)
    gradient_check.check_backward(F.linear, (x, w, b), gy, dtype=numpy.float64,
                                  atol=1e-2, rtol=1e-2)
    gradient_check.check_double_backward(F.linear, (x, w, b), gy, ggs, dtype=numpy.float64,
                                         atol=1e-2, rtol=1e-2)


def test_integer_weight_raises_invalid_type():
    with pytest.raises(InvalidType, match='W.dtype'):
        F.linear(numpy.ones((4, 3), 'f'), numpy.ones((2, 3), 'i'))
