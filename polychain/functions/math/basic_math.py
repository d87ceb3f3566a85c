"""Arithmetic on Variables: the functions behind ``+ - * / ** @``, unary ``-`` and ``abs``."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy

from polychain.configuration import Unusual, config
from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import sum_to
from polychain.functions.math.exponential import log
from polychain.functions.math.matmul import matmul
from polychain.functions.math.rounding import floor
from polychain.utils import type_check
from polychain.variable import Variable

#: Constant operands. The operators test ``type(rhs) is not Variable`` first: a Variable
#: operand, the common case, then skips the slower isinstance test against this tuple.
_SCALARS = (int, float, numpy.generic)


class _BroadcastingBinary(FunctionNode):
    """Base of two-input elementwise functions ``operator(lhs, rhs)`` with broadcasting.

    Both operands must share a dtype (as in Chainer; NumPy would silently
    promote). Functions that retain their inputs read the input shapes from
    them in backward; the others record the shapes when they differ.

    The backward methods loop rather than use comprehensions: on Python 3.11 a
    comprehension that reads local variables turns them into cells, which slows
    the whole method down.
    """

    check_type_on_failure = True
    operator: Callable[[Any, Any], Any]
    _shapes: tuple[tuple[int, ...], tuple[int, ...]] | None = None

    def check_type_forward(self, in_types):
        type_check.expect_same_dtype(in_types[0], in_types[1], ('lhs', 'rhs'))
        type_check.expect_broadcastable(in_types[0], in_types[1], ('lhs', 'rhs'))

    def forward(self, inputs):
        a, b = inputs
        if a.dtype is not b.dtype and a.dtype != b.dtype and (
                not Unusual.no_type_check or config.type_check):
            self.check_type_forward((type_check.TypeInfo(tuple(a.shape), a.dtype),
                                     type_check.TypeInfo(tuple(b.shape), b.dtype)))
        if self._retain_input_indexes is None and a.shape != b.shape:
            self._shapes = (tuple(a.shape), tuple(b.shape))
        return self.operator(a, b),

    def _reduce(self, gx: Variable, i: int) -> Variable:
        """``gx`` summed down to the shape of input ``i``."""
        if self._retain_input_indexes is not None:
            shape = tuple(self._retained_input_data[i].shape)
        elif self._shapes is not None:
            shape = self._shapes[i]
        else:
            return gx
        return sum_to(gx, shape)


class Add(_BroadcastingBinary):
    label = '_ + _'
    operator = staticmethod(operator.add)

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        grads = []
        for i in indexes:
            grads.append(self._reduce(gy, i))
        return tuple(grads)


class MultiAdd(FunctionNode):
    """The sum of any number of inputs, broadcast against each other."""

    def forward(self, inputs):
        self._shapes = tuple(tuple(x.shape) for x in inputs)
        y = inputs[0]
        for x in inputs[1:]:
            y = y + x
        if y is inputs[0]:
            y = self.xp.asarray(y, copy=True)
        return y,

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        grads = []
        for i in indexes:
            grads.append(sum_to(gy, self._shapes[i]))
        return tuple(grads)


class Sub(_BroadcastingBinary):
    label = '_ - _'
    operator = staticmethod(operator.sub)

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        grads = []
        for i in indexes:
            grads.append(self._reduce(gy if i == 0 else -gy, i))
        return tuple(grads)


class Mul(_BroadcastingBinary):
    label = '_ * _'
    operator = staticmethod(operator.mul)
    _retain_input_indexes = (0, 1)

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        a, b = self.get_retained_inputs()
        grads = []
        for i in indexes:
            grads.append(self._reduce(gy * (b if i == 0 else a), i))
        return tuple(grads)


class Div(_BroadcastingBinary):
    label = '_ / _'
    operator = staticmethod(operator.truediv)
    _retain_input_indexes = (0, 1)

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        a, b = self.get_retained_inputs()
        ga = gy / b
        grads = []
        for i in indexes:
            grads.append(self._reduce(ga if i == 0 else -ga * a / b, i))
        return tuple(grads)


class PowVarVar(_BroadcastingBinary):
    label = '_ ** _'
    operator = staticmethod(operator.pow)
    _retain_input_indexes = (0, 1)

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        a, b = self.get_retained_inputs()
        grads = []
        for i in indexes:
            if i == 0:
                grads.append(self._reduce(gy * b * a ** (b - 1), 0))
            else:
                grads.append(self._reduce(gy * a ** b * log(a), 1))
        return tuple(grads)


class Neg(FunctionNode):
    label = '__neg__'

    def forward(self, inputs):
        return -inputs[0],

    def backward(self, indexes, grad_outputs):
        return -grad_outputs[0],


class Absolute(FunctionNode):
    label = '|_|'
    _retain_input_indexes = (0,)

    def forward(self, inputs):
        return self.xp.abs(inputs[0]),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * self.xp.sign(x.array),


def _convert_value_to_string(value: Any) -> str:
    """A constant as a label shows it: ``2.0``, ``(-2)`` or ``constant array``."""
    if isinstance(value, Variable):
        value = value.array
    if isinstance(value, (int, float, numpy.generic)):
        return f'({value})' if value < 0 else str(value)
    return 'constant array'


class _ConstantOperand(FunctionNode):
    """Base of functions of one Variable and a scalar constant.

    A NumPy scalar constant is taken as the Python scalar it holds: Python
    scalars keep the dtype of the array (NumPy scalars would promote it, and
    backends that follow the Array API standard strictly refuse them).
    """

    #: The label with ``{}`` where the constant goes, such as ``'_ + {}'``.
    label_format = '{}'

    def __init__(self, value: Any) -> None:
        self.value = value.item() if isinstance(value, numpy.generic) else value

    @property
    def label(self) -> str:
        return self.label_format.format(_convert_value_to_string(self.value))


class AddConstant(_ConstantOperand):
    label_format = '_ + {}'
    def forward(self, inputs):
        return inputs[0] + self.value,

    def backward(self, indexes, grad_outputs):
        return grad_outputs[0],


class SubFromConstant(_ConstantOperand):
    label_format = '{} - _'
    def forward(self, inputs):
        return self.value - inputs[0],

    def backward(self, indexes, grad_outputs):
        return -grad_outputs[0],


class MulConstant(_ConstantOperand):
    label_format = '_ * {}'
    def forward(self, inputs):
        return inputs[0] * self.value,

    def backward(self, indexes, grad_outputs):
        return grad_outputs[0] * self.value,


class DivFromConstant(_ConstantOperand):
    label_format = '{} / _'
    _retain_input_indexes = (0,)

    def forward(self, inputs):
        return self.value / inputs[0],

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * (-self.value) / (x * x),


class PowVarConst(_ConstantOperand):
    label_format = '_ ** {}'
    _retain_input_indexes = (0,)

    def forward(self, inputs):
        x, = inputs
        if self.value == 2:
            return x * x,
        return x ** self.value,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        if self.value == 2:
            return gy * 2 * x,
        if self.value == 1:
            return gy,
        return gy * self.value * x ** (self.value - 1),


class PowConstVar(_ConstantOperand):
    label_format = '{} ** _'
    _retain_output_indexes = (0,)

    def forward(self, inputs):
        return self.value ** inputs[0],

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * y * float(numpy.log(self.value)),


def _check_operand(value: Any, op: str) -> None:
    if isinstance(value, (str, bytes, list, tuple, dict)) or value is None:
        raise TypeError(f'unsupported operand for {op} with a Variable: '
                        f'{type(value).__name__}')


def _as_constant(x: Variable, value: Any) -> Any:
    """A constant array operand in the dtype of ``x`` (Chainer casts constants to it)."""
    if isinstance(value, Variable) or not hasattr(value, 'dtype') or value.dtype == x.dtype:
        return value
    return x.device.namespace.astype(value, x.dtype)


def _add(lhs: Any, rhs: Any) -> Variable:
    """``lhs + rhs`` with broadcasting; ``rhs`` may be a scalar or a constant array."""
    if type(rhs) is not Variable:
        if isinstance(rhs, _SCALARS):
            return AddConstant(rhs).apply((lhs,))[0]
        rhs = _as_constant(lhs, rhs)
    return Add().apply((lhs, rhs))[0]


def add(*xs: Any) -> Variable:
    """Elementwise sum of the inputs, broadcast against each other.

    Args:
        xs: Two or more variables or arrays (with two, the second may be a scalar).
    """
    if len(xs) == 2:
        return _add(*xs)
    return MultiAdd().apply(xs)[0]


def sub(lhs: Any, rhs: Any) -> Variable:
    """``lhs - rhs`` with broadcasting."""
    if type(rhs) is not Variable:
        if isinstance(rhs, _SCALARS):
            return AddConstant(-rhs).apply((lhs,))[0]
        rhs = _as_constant(lhs, rhs)
    return Sub().apply((lhs, rhs))[0]


def rsub(lhs: Any, rhs: Any) -> Variable:
    """``rhs - lhs``."""
    if type(rhs) is not Variable:
        if isinstance(rhs, _SCALARS):
            return SubFromConstant(rhs).apply((lhs,))[0]
        rhs = _as_constant(lhs, rhs)
    return Sub().apply((rhs, lhs))[0]


def mul(lhs: Any, rhs: Any) -> Variable:
    """``lhs * rhs`` with broadcasting."""
    if type(rhs) is not Variable:
        if isinstance(rhs, _SCALARS):
            return MulConstant(rhs).apply((lhs,))[0]
        rhs = _as_constant(lhs, rhs)
    return Mul().apply((lhs, rhs))[0]


def div(lhs: Any, rhs: Any) -> Variable:
    """``lhs / rhs`` with broadcasting."""
    if type(rhs) is not Variable:
        if isinstance(rhs, _SCALARS):
            return MulConstant(1.0 / rhs).apply((lhs,))[0]
        rhs = _as_constant(lhs, rhs)
    return Div().apply((lhs, rhs))[0]


def rdiv(lhs: Any, rhs: Any) -> Variable:
    """``rhs / lhs``."""
    if type(rhs) is not Variable:
        if isinstance(rhs, _SCALARS):
            return DivFromConstant(rhs).apply((lhs,))[0]
        rhs = _as_constant(lhs, rhs)
    return Div().apply((rhs, lhs))[0]


def floordiv(lhs: Any, rhs: Any) -> Variable:
    """``lhs // rhs``: the floor of ``lhs / rhs`` (its gradient is zero)."""
    return floor(div(lhs, rhs))


def rfloordiv(lhs: Any, rhs: Any) -> Variable:
    """``rhs // lhs``."""
    return floor(rdiv(lhs, rhs))


def pow(lhs: Any, rhs: Any) -> Variable:  # noqa: A001 - Chainer's name
    """``lhs ** rhs``."""
    if type(rhs) is not Variable:
        if isinstance(rhs, _SCALARS):
            return PowVarConst(rhs).apply((lhs,))[0]
        rhs = _as_constant(lhs, rhs)
    return PowVarVar().apply((lhs, rhs))[0]


def rpow(lhs: Any, rhs: Any) -> Variable:
    """``rhs ** lhs``."""
    if type(rhs) is not Variable:
        if isinstance(rhs, _SCALARS):
            return PowConstVar(rhs).apply((lhs,))[0]
        rhs = _as_constant(lhs, rhs)
    return PowVarVar().apply((rhs, lhs))[0]


def neg(x: Any) -> Variable:
    """``-x``."""
    return Neg().apply((x,))[0]


def absolute(x: Any) -> Variable:
    """``|x|`` elementwise; the gradient at 0 is 0."""
    return Absolute().apply((x,))[0]


def _matmul(lhs: Any, rhs: Any) -> Variable:
    _check_operand(rhs, '@')
    return matmul(lhs, rhs)


def _rmatmul(lhs: Any, rhs: Any) -> Variable:
    _check_operand(rhs, '@')
    return matmul(rhs, lhs)


def install_variable_arithmetics() -> None:
    """Gives :class:`~polychain.Variable` its operators."""
    Variable.__neg__ = neg
    Variable.__abs__ = absolute
    Variable.__pos__ = lambda self: self
    Variable.__add__ = Variable.__radd__ = _add
    Variable.__sub__ = sub
    Variable.__rsub__ = rsub
    Variable.__mul__ = Variable.__rmul__ = mul
    Variable.__truediv__ = div
    Variable.__rtruediv__ = rdiv
    Variable.__floordiv__ = floordiv
    Variable.__rfloordiv__ = rfloordiv
    Variable.__pow__ = pow
    Variable.__rpow__ = rpow
    Variable.__matmul__ = _matmul
    Variable.__rmatmul__ = _rmatmul
