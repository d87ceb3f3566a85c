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


def test_mixed_dtypes_promote_and_gradients_keep_their_dtypes(device):
    host_a = numpy.arange(6, dtype='float32').reshape(2, 3)
    host_b = numpy.arange(6, dtype='float64').reshape(3, 2)
    a = polychain.Variable(device.send(host_a))
    b = polychain.Variable(device.send(host_b))
    y = F.matmul(a, b)
    assert y.dtype == b.dtype
    numpy.testing.assert_allclose(polychain.backend.to_host(y.array), host_a @ host_b)
    y.grad = device.send(numpy.ones((2, 2)))
    y.backward()
    assert a.grad.dtype == a.dtype
    assert b.grad.dtype == b.dtype
    numpy.testing.assert_allclose(polychain.backend.to_host(a.grad),
                                  numpy.ones((2, 2)) @ host_b.T)


@pytest.mark.parametrize('a_shape, b_shape, transa, transb', [
    ((4,), (4, 3), True, False), ((4,), (4,), True, True), ((3, 4), (4,), False, True)])
def test_transposing_a_vector_has_no_effect(a_shape, b_shape, transa, transb, device):
    host_a = numpy.arange(numpy.prod(a_shape), dtype='float64').reshape(a_shape)
    host_b = numpy.arange(numpy.prod(b_shape), dtype='float64').reshape(b_shape)
    y = F.matmul(device.send(host_a), device.send(host_b), transa=transa, transb=transb)
    numpy.testing.assert_allclose(polychain.backend.to_host(y.array),
                                  numpy.matmul(host_a, host_b))


def test_batch_axes_that_do_not_broadcast_raise_invalid_type(device):
    a = polychain.Variable(device.send(numpy.ones((2, 3, 4), dtype='f')))
    b = polychain.Variable(device.send(numpy.ones((3, 4, 3), dtype='f')))
    with pytest.raises(InvalidType, match='batch'):
        F.matmul(a, b)
