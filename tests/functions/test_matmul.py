"""matmul (transa/transb, batched, broadcast) and the ``@`` operator against NumPy."""

import operator

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.utils.type_check import InvalidType

from .function_checks import (
    FunctionCase,
    check_forward,
    check_gradients,
    require_reflected_operator,
)


def _swap(a, flag):
    return numpy.swapaxes(a, -1, -2) if flag else a


def _matmul_case(a_shape, b_shape, transa=False, transb=False):
    return FunctionCase(f'matmul_{a_shape}_{b_shape}_ta{transa:d}_tb{transb:d}',
                        lambda a, b: F.matmul(a, b, transa=transa, transb=transb),
                        lambda a, b: numpy.matmul(_swap(a, transa), _swap(b, transb)),
                        (a_shape, b_shape))


def _operator_case(a_shape, b_shape):
    return FunctionCase(f'operator_{a_shape}_{b_shape}', operator.matmul, numpy.matmul,
                        (a_shape, b_shape))


CASES = [
    _matmul_case((3, 4), (4, 2)),
    _matmul_case((4, 3), (4, 2), transa=True),
    _matmul_case((3, 4), (2, 4), transb=True),
    _matmul_case((4, 3), (2, 4), transa=True, transb=True),
    _matmul_case((2, 3, 4), (2, 4, 5)),
    _matmul_case((2, 4, 3), (2, 5, 4), transa=True, transb=True),
    _matmul_case((3, 4), (2, 4, 5)),
    _matmul_case((2, 1, 3, 4), (3, 4, 2)),
    _matmul_case((4,), (4, 3)),
    _matmul_case((3, 4), (4,)),
    _operator_case((3, 4), (4, 2)),
    _operator_case((4,), (4, 3)),
    _operator_case((3, 4), (4,)),
    _operator_case((4,), (4,)),
    _operator_case((2, 3, 4), (4,)),
]


@pytest.mark.parametrize('case', CASES, ids=str)
def test_forward(case, device, dtype, rng):
    check_forward(case, device, dtype, rng)


@pytest.mark.parametrize('case', CASES, ids=str)
def test_gradients(case, device, dtype, tolerance, rng):
    check_gradients(case, device, dtype, tolerance, rng)


def test_array_on_the_left_of_the_operator(device, dtype):
    require_reflected_operator(device, 'matmul')
    host_a = numpy.arange(6, dtype=dtype).reshape(2, 3)
    host_b = numpy.arange(12, dtype=dtype).reshape(3, 4)
    b = polychain.Variable(device.send(host_b))

    y = device.send(host_a) @ b

    assert isinstance(y, polychain.Variable)
    numpy.testing.assert_allclose(polychain.backend.to_host(y.array), host_a @ host_b)


@pytest.mark.parametrize('a_shape, b_shape, transa', [
    ((3, 4), (3, 2), False), ((4, 3), (4, 2), False), ((3, 4), (4, 2), True)])
def test_mismatched_inner_axes_raise_invalid_type(a_shape, b_shape, transa, device):
    a = polychain.Variable(device.send(numpy.ones(a_shape, dtype='f')))
    b = polychain.Variable(device.send(numpy.ones(b_shape, dtype='f')))
    with pytest.raises(InvalidType) as info:
        F.matmul(a, b, transa=transa)
    message = str(info.value)
    assert 'MatMul' in message
    assert str(a_shape) in message
    assert str(b_shape) in message


def test_mixed_dtypes_raise_invalid_type(device):
    a = polychain.Variable(device.send(numpy.ones((2, 3), dtype='float32')))
    b = polychain.Variable(device.send(numpy.ones((3, 2), dtype='float64')))
    with pytest.raises(InvalidType, match='float64'):
        F.matmul(a, b)
