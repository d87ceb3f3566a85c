"""Arithmetic on Variables: ``+ - * / **``, unary ``-``, ``abs`` and ``F.absolute``."""

import operator

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType

from .function_checks import (
    FunctionCase,
    away_from_zero,
    check_forward,
    check_gradients,
    require_reflected_operator,
    uniform,
)

POSITIVE = uniform(0.5, 2.0)
BINARY_OPERATORS = {
    'add': operator.add, 'sub': operator.sub, 'mul': operator.mul,
    'truediv': operator.truediv, 'pow': operator.pow,
}
# The base of ``**`` and the divisor of ``/`` stay positive, away from 0.
BINARY_SAMPLERS = {'truediv': (uniform(), POSITIVE), 'pow': (POSITIVE, uniform())}
BROADCAST_SHAPES = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 3, 4), ())]


def _binary_cases():
    for name, op in BINARY_OPERATORS.items():
        for shapes in BROADCAST_SHAPES:
            yield FunctionCase(f'{name}_{shapes[0]}_{shapes[1]}', op, op, shapes,
                               samplers=BINARY_SAMPLERS.get(name, uniform()))


def _constant_cases():
    yield FunctionCase('add_constant', lambda x: x + 2.5, lambda x: x + 2.5, ((3, 4),))
    yield FunctionCase('radd_constant', lambda x: 2.5 + x, lambda x: 2.5 + x, ((3, 4),))
    yield FunctionCase('sub_constant', lambda x: x - 2.5, lambda x: x - 2.5, ((3, 4),))
    yield FunctionCase('rsub_constant', lambda x: 2.5 - x, lambda x: 2.5 - x, ((3, 4),))
    yield FunctionCase('mul_constant', lambda x: x * 2.5, lambda x: x * 2.5, ((3, 4),))
    yield FunctionCase('rmul_constant', lambda x: 2.5 * x, lambda x: 2.5 * x, ((3, 4),))
    yield FunctionCase('int_constant', lambda x: 2 * x - 1, lambda x: 2 * x - 1, ((3, 4),))
    yield FunctionCase('div_constant', lambda x: x / 2.5, lambda x: x / 2.5, ((3, 4),))
    yield FunctionCase('rdiv_constant', lambda x: 2.5 / x, lambda x: 2.5 / x, ((3, 4),),
                       samplers=POSITIVE)
    yield FunctionCase('square', lambda x: x ** 2, lambda x: x ** 2, ((3, 4),))
    yield FunctionCase('cube', lambda x: x ** 3, lambda x: x ** 3, ((3, 4),))
    yield FunctionCase('pow_one', lambda x: x ** 1, lambda x: x, ((3, 4),))
    yield FunctionCase('pow_half', lambda x: x ** 0.5, numpy.sqrt, ((3, 4),), samplers=POSITIVE)
    yield FunctionCase('rpow_constant', lambda x: 2.5 ** x, lambda x: 2.5 ** x, ((3, 4),))


def _unary_cases():
    yield FunctionCase('neg', operator.neg, operator.neg, ((3, 4),))
    yield FunctionCase('abs_operator', abs, numpy.abs, ((3, 4),), samplers=away_from_zero(),
                       eps=1e-4)
    yield FunctionCase('absolute', F.absolute, numpy.abs, ((3, 4),), samplers=away_from_zero(),
                       eps=1e-4)


def _multiple_add_cases():
    yield FunctionCase('add_three', F.add, lambda a, b, c: a + b + c, ((3, 1), (1, 4), (4,)))
    yield FunctionCase('add_two', F.add, operator.add, ((3, 4), (4,)))


CASES = [*_binary_cases(), *_constant_cases(), *_unary_cases(), *_multiple_add_cases()]


@pytest.mark.parametrize('case', CASES, ids=str)
def test_forward(case, device, dtype, rng):
    check_forward(case, device, dtype, rng)


@pytest.mark.parametrize('case', CASES, ids=str)
def test_gradients(case, device, dtype, tolerance, rng):
    check_gradients(case, device, dtype, tolerance, rng)


@pytest.mark.parametrize('name', sorted(BINARY_OPERATORS))
def test_array_on_the_left(name, device, dtype, tolerance, rng):
    require_reflected_operator(device, name)
    op = BINARY_OPERATORS[name]
    host_left = rng.uniform(0.5, 2.0, size=(3, 4)).astype(dtype)
    host_right = rng.uniform(0.5, 2.0, size=(3, 4)).astype(dtype)
    left = device.send(host_left)
    right = polychain.Variable(device.send(host_right))

    y = op(left, right)

    assert isinstance(y, polychain.Variable)
    numpy.testing.assert_allclose(to_host(y.array), op(host_left, host_right), rtol=1e-5)
    gy = device.send(numpy.ones((3, 4), dtype=dtype))
    # The constant on the left keeps its dtype, so the numerical pass uses it too.
    polychain.gradient_check.check_backward(lambda v: op(left, v), right.array, gy,
                                            atol=tolerance[0], rtol=tolerance[1], seed=0,
                                            dtype=dtype)


@pytest.mark.parametrize('scalar', [2, 2.5, numpy.float64(2.5), numpy.float32(2.5)],
                         ids=['int', 'float', 'numpy_float64', 'numpy_float32'])
@pytest.mark.parametrize('name', sorted(BINARY_OPERATORS))
def test_scalar_keeps_the_variable_dtype(name, scalar, device, dtype):
    op = BINARY_OPERATORS[name]
    x = polychain.Variable(device.send(numpy.full((2, 3), 1.5, dtype=dtype)))
    for y in (op(x, scalar), op(scalar, x)):
        assert to_host(y.array).dtype == dtype
        y.grad = device.send(numpy.ones((2, 3), dtype=dtype))
        y.backward()
        assert to_host(x.grad).dtype == dtype
        x.cleargrad()


def test_broadcast_gradients_are_summed_to_each_input(device, dtype):
    host_a = numpy.arange(12, dtype=dtype).reshape(3, 4)
    host_b = numpy.arange(1, 5, dtype=dtype)
    a = polychain.Variable(device.send(host_a))
    b = polychain.Variable(device.send(host_b))

    y = a * b
    y.grad = device.send(numpy.ones((3, 4), dtype=dtype))
    y.backward()

    assert a.grad.shape == (3, 4)
    assert b.grad.shape == (4,)
    numpy.testing.assert_array_equal(to_host(a.grad), numpy.broadcast_to(host_b, (3, 4)))
    numpy.testing.assert_array_equal(to_host(b.grad), host_a.sum(axis=0))


def test_incompatible_shapes_raise_invalid_type_naming_both(device):
    a = polychain.Variable(device.send(numpy.ones((2, 3), dtype='f')))
    b = polychain.Variable(device.send(numpy.ones((4,), dtype='f')))
    with pytest.raises(InvalidType) as info:
        a + b
    message = str(info.value)
    assert '_ + _' in message
    assert '(2, 3)' in message
    assert '(4,)' in message


@pytest.mark.parametrize('name', sorted(BINARY_OPERATORS))
def test_mixed_dtypes_raise_invalid_type(name, device):
    a = polychain.Variable(device.send(numpy.ones((2, 3), dtype='float32')))
    b = polychain.Variable(device.send(numpy.ones((2, 3), dtype='float64')))
    with pytest.raises(InvalidType) as info:
        BINARY_OPERATORS[name](a, b)
    assert 'float32' in str(info.value)
    assert 'float64' in str(info.value)


def test_pos_returns_the_variable(device):
    x = polychain.Variable(device.send(numpy.ones(3, dtype='f')))
    assert +x is x


@pytest.mark.parametrize('op', [operator.floordiv, lambda a, b: b.__rfloordiv__(a)])
def test_floor_division(op, device):
    host_a = numpy.array([[1.5, -2.5, 7.0]])
    host_b = numpy.array([[0.5], [2.0]])
    y = op(polychain.Variable(device.send(host_a)), polychain.Variable(device.send(host_b)))
    numpy.testing.assert_array_equal(to_host(y.array), op(host_a, host_b))


@pytest.mark.parametrize('name', sorted(BINARY_OPERATORS))
def test_constant_arrays_take_the_dtype_of_the_variable(name, device):
    x = polychain.Variable(device.send(numpy.full((2, 3), 1.5)))
    constant = device.send(numpy.full((2, 3), 2.0, dtype='float32'))
    for y in (BINARY_OPERATORS[name](x, constant), getattr(x, f'__r{name}__')(constant)):
        assert y.dtype == x.dtype


@pytest.mark.parametrize('make, label', [
    (lambda x: -x, '__neg__'), (abs, '|_|'), (lambda x: x + x, '_ + _'),
    (lambda x: x + 2.0, '_ + 2.0'), (lambda x: x - x, '_ - _'), (lambda x: 2.0 - x, '2.0 - _'),
    (lambda x: x * x, '_ * _'), (lambda x: x * -2, '_ * (-2)'), (lambda x: x / x, '_ / _'),
    (lambda x: 2.0 / x, '2.0 / _'), (lambda x: x ** x, '_ ** _'), (lambda x: x ** 3, '_ ** 3'),
    (lambda x: numpy.float32(2) ** x, '2.0 ** _'),
])
def test_labels_show_the_operation(make, label, device):
    x = polychain.Variable(device.send(numpy.ones(2)))
    assert make(x).creator.label == label


def test_mixed_dtypes_are_refused_while_types_are_checked_and_promoted_otherwise():
    """As in Chainer: with config.type_check off, NumPy's promotion applies."""
    a, b = numpy.ones(2), numpy.ones(2, numpy.float32)
    with pytest.raises(InvalidType, match='lhs.dtype == rhs.dtype'):
        polychain.Variable(a) + polychain.Variable(b)
    with polychain.using_config('type_check', False):
        assert (polychain.Variable(a) + polychain.Variable(b)).dtype == numpy.float64
