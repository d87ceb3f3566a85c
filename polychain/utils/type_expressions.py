"""Expression trees of Chainer's type-check language (``in_types[0].ndim == 2``).

An expression remembers how it was written, so that a failed check can say
both what was expected (``in_types[0].ndim == 2``) and what was found
(``3 != 2``). :mod:`polychain.utils.type_check` builds them; this module
evaluates and prints them, with Chainer's classes and binding priorities, and defines
:class:`InvalidType`, which a failed comparison raises (``type_check`` gives it too).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

# Chainer's binding priorities, loosest first; an operand binding more loosely
# than its operator is printed in parentheses.
_BOOL, _OR, _XOR, _AND, _SHIFT, _ADDITIVE, _MULTIPLICATIVE, _UNARY, _POWER, _ATOM = range(-1, 9)


class InvalidType(Exception):
    """Raised when the inputs of a function have the wrong shape or dtype.

    Args:
        expect: What the function expected, e.g. ``'x.shape == y.shape'``.
        actual: What it received, e.g. ``'(2, 3) != (4,)'``.
        msg: An optional free-form explanation placed after both.
    """

    def __init__(self, expect: str, actual: str, msg: str | None = None) -> None:
        self.expect = expect
        self.actual = actual
        self.function_name: str | None = None
        self.msg = msg
        super().__init__(self._message())

    def _message(self) -> str:
        where = f'Invalid operation is performed in: {self.function_name or "?"} (Forward)\n\n'
        text = f'{where}Expect: {self.expect}\nActual: {self.actual}'
        return f'{text}\n{self.msg}' if self.msg else text

    def set_function(self, name: str) -> None:
        """Names the function whose check failed (done by ``FunctionNode.apply``)."""
        self.function_name = name
        self.args = (self._message(),)

    def __str__(self) -> str:
        return self._message()

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.expect, self.actual, self.msg), {'function': self.function_name}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get('function') is not None:
            self.set_function(state['function'])


def _repr(value: Any) -> str:
    """How a value is printed in an expression or an error message."""
    if isinstance(value, Expr):
        return str(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, tuple):
        inner = ', '.join(_repr(v) for v in value)
        return f'({inner},)' if len(value) == 1 else f'({inner})'
    if isinstance(value, list):
        return '[' + ', '.join(_repr(v) for v in value) + ']'
    if value is Ellipsis:
        return '...'
    if isinstance(value, slice):
        parts = ['' if v is None else _repr(v) for v in (value.start, value.stop)]
        return ':'.join(parts) + ('' if value.step is None else f':{_repr(value.step)}')
    return str(value)


def _evaluate(value: Any) -> Any:
    """``value`` with every expression in it evaluated (in tuples, lists and slices too)."""
    if isinstance(value, Expr):
        return value.eval()
    if isinstance(value, (tuple, list)):
        return type(value)(_evaluate(v) for v in value)
    if isinstance(value, slice):
        return slice(_evaluate(value.start), _evaluate(value.stop), _evaluate(value.step))
    return value


def _priority(value: Any) -> int:
    return value.priority if isinstance(value, Expr) else _ATOM


def _operand(value: Any, parenthesized: bool) -> str:
    return f'({_repr(value)})' if parenthesized else _repr(value)


class Expr:
    """A node of an expression tree; ``eval()`` computes it, ``str()`` prints it.

    Comparisons build :class:`BoolBinaryOperator` nodes, arithmetic and
    bitwise operators :class:`BinaryOperator` and :class:`UnaryOperator`
    nodes, and attribute access, indexing and calls :class:`GetAttr`,
    :class:`GetItem` and :class:`Call` nodes. An expression has no truth
    value: use ``type_check.eval`` to compute it.

    Args:
        priority: How tightly the expression binds when printed.
    """

    def __init__(self, priority: int) -> None:
        self.priority = priority

    def eval(self) -> Any:
        """The value of the expression."""
        raise NotImplementedError(f'{type(self).__name__} must implement eval()')

    def __bool__(self) -> bool:
        raise RuntimeError('An expression of type_check has no truth value; compute it with '
                           'type_check.eval() or state it in type_check.expect()')

    __hash__ = object.__hash__

    def __getattr__(self, name: str) -> GetAttr:
        if name.startswith('_'):
            raise AttributeError(name)
        return GetAttr(self, name)

    def __getitem__(self, key: Any) -> GetItem:
        return GetItem(self, key)

    def __call__(self, *args: Any) -> Call:
        return Call(self, args)

    def __neg__(self) -> UnaryOperator:
        return UnaryOperator(_UNARY, self, '-', operator.neg)

    def __pos__(self) -> UnaryOperator:
        return UnaryOperator(_UNARY, self, '+', operator.pos)

    def __invert__(self) -> UnaryOperator:
        return UnaryOperator(_UNARY, self, '~', operator.invert)


_COMPARISONS = {
    'eq': ('==', '!=', operator.eq), 'ne': ('!=', '==', operator.ne),
    'lt': ('<', '>=', operator.lt), 'le': ('<=', '>', operator.le),
    'gt': ('>', '<=', operator.gt), 'ge': ('>=', '<', operator.ge),
}

_BINARY = {
    'add': ('+', _ADDITIVE, operator.add), 'sub': ('-', _ADDITIVE, operator.sub),
    'mul': ('*', _MULTIPLICATIVE, operator.mul),
    'truediv': ('/', _MULTIPLICATIVE, operator.truediv),
    'floordiv': ('//', _MULTIPLICATIVE, operator.floordiv),
    'mod': ('%', _MULTIPLICATIVE, operator.mod), 'pow': ('**', _POWER, operator.pow),
    'lshift': ('<<', _SHIFT, operator.lshift), 'rshift': ('>>', _SHIFT, operator.rshift),
    'and': ('&', _AND, operator.and_), 'xor': ('^', _XOR, operator.xor),
    'or': ('|', _OR, operator.or_),
}


def _comparison_method(name: str) -> Callable[[Expr, Any], BoolBinaryOperator]:
    symbol, negation, func = _COMPARISONS[name]

    def method(self: Expr, other: Any) -> BoolBinaryOperator:
        return BoolBinaryOperator(self, other, symbol, negation, func)
    return method


def _binary_methods(name: str) -> tuple[Callable[..., BinaryOperator], ...]:
    symbol, priority, func = _BINARY[name]
    right_associative = symbol == '**'

    def method(self: Expr, other: Any) -> BinaryOperator:
        return BinaryOperator(priority, self, other, symbol, func, right_associative)

    def reflected(self: Expr, other: Any) -> BinaryOperator:
        return BinaryOperator(priority, other, self, symbol, func, right_associative)
    return method, reflected


for _name in _COMPARISONS:
    setattr(Expr, f'__{_name}__', _comparison_method(_name))
for _name in _BINARY:
    _method, _reflected = _binary_methods(_name)
    setattr(Expr, f'__{_name}__', _method)
    setattr(Expr, f'__r{_name}__', _reflected)


class Atom(Expr):
    """An expression that binds tightest: a name, a constant, an attribute, an item, a call."""

    def __init__(self) -> None:
        super().__init__(_ATOM)


class Constant(Atom):
    """A value written literally in the expression (``2``, ``numpy.float32``)."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value

    def eval(self) -> Any:
        return _evaluate(self.value)

    def __str__(self) -> str:
        return _repr(self.value)


class Variable(Atom):
    """A named value, such as ``in_types[0]`` or ``in_types.size``.

    Args:
        value: The value the name stands for.
        name: How it is printed.
    """

    def __init__(self, value: Any, name: str) -> None:
        super().__init__()
        self.value = value
        self.name = name

    def eval(self) -> Any:
        return self.value

    def __str__(self) -> str:
        return self.name


class GetAttr(Atom):
    """``obj.name``; a name that is not a string prints as ``getattr(obj, name)``."""

    def __init__(self, obj: Expr, name: Any) -> None:
        super().__init__()
        self.obj = obj
        self.name = name

    def eval(self) -> Any:
        return getattr(self.obj.eval(), _evaluate(self.name))

    def __str__(self) -> str:
        name = self.name.value if isinstance(self.name, Constant) else self.name
        if isinstance(name, str):
            return f'{_operand(self.obj, self.obj.priority < _ATOM)}.{name}'
        return f'getattr({_repr(self.obj)}, {_repr(self.name)})'


class GetItem(Atom):
    """``obj[key]``; ``key`` may hold expressions, slices and ``...``."""

    def __init__(self, obj: Expr, key: Any) -> None:
        super().__init__()
        self.obj = obj
        self.key = key

    def eval(self) -> Any:
        return self.obj.eval()[_evaluate(self.key)]

    def __str__(self) -> str:
        keys = self.key if isinstance(self.key, tuple) else (self.key,)
        text = ', '.join(_repr(k) for k in keys)
        return f'{_operand(self.obj, self.obj.priority < _ATOM)}[{text}]'


class Call(Atom):
    """``obj(*args)``."""

    def __init__(self, obj: Expr, args: tuple[Any, ...]) -> None:
        super().__init__()
        self.obj = obj
        self.args = tuple(args)

    def eval(self) -> Any:
        return self.obj.eval()(*[_evaluate(a) for a in self.args])

    def __str__(self) -> str:
        arguments = ', '.join(_repr(a) for a in self.args)
        return f'{_operand(self.obj, self.obj.priority < _ATOM)}({arguments})'


class UnaryOperator(Expr):
    """``<exp>term``, such as ``-x``.

    Args:
        priority: How tightly the operator binds.
        term: The operand.
        exp: The operator's symbol.
        func: Computes the value from the operand's.
    """

    def __init__(self, priority: int, term: Any, exp: str, func: Callable[[Any], Any]) -> None:
        super().__init__(priority)
        self.term = term
        self.exp = exp
        self.func = func

    def eval(self) -> Any:
        return self.func(_evaluate(self.term))

    def __str__(self) -> str:
        return self.exp + _operand(self.term, _priority(self.term) < self.priority)


class BinaryOperator(Expr):
    """``lhs <exp> rhs``, such as ``x + y``.

    Args:
        priority: How tightly the operator binds.
        lhs: The left operand.
        rhs: The right operand.
        exp: The operator's symbol.
        func: Computes the value from the operands'.
        right_associative: Whether ``a op b op c`` means ``a op (b op c)``.
    """

    def __init__(self, priority: int, lhs: Any, rhs: Any, exp: str,
                 func: Callable[[Any, Any], Any], right_associative: bool = False) -> None:
        super().__init__(priority)
        self.lhs = lhs
        self.rhs = rhs
        self.exp = exp
        self.func = func
        self.right_associative = right_associative

    def eval(self) -> Any:
        return self.func(_evaluate(self.lhs), _evaluate(self.rhs))

    def __str__(self) -> str:
        left, right = _priority(self.lhs), _priority(self.rhs)
        left_text = _operand(self.lhs, left < self.priority or (
            self.right_associative and left == self.priority))
        right_text = _operand(self.rhs, right < self.priority or (
            not self.right_associative and right == self.priority))
        return f'{left_text} {self.exp} {right_text}'


class Testable:
    """A condition that :func:`~polychain.utils.type_check.expect` can check."""

    def expect(self) -> None:
        """Raises :class:`~polychain.utils.type_check.InvalidType` unless the condition holds."""
        raise NotImplementedError(f'{type(self).__name__} must implement expect()')


class BoolBinaryOperator(BinaryOperator, Testable):
    """A comparison ``lhs <exp> rhs``; when false, the error shows ``lhs <inv> rhs``.

    Args:
        lhs: The left operand.
        rhs: The right operand.
        exp: The comparison's symbol (``'=='``).
        inv: The symbol of its negation (``'!='``).
        func: Computes the comparison from the operands' values.
    """

    def __init__(self, lhs: Any, rhs: Any, exp: str, inv: str,
                 func: Callable[[Any, Any], Any]) -> None:
        super().__init__(_BOOL, lhs, rhs, exp, func)
        self.inv = inv

    def expect(self) -> None:
        left, right = _evaluate(self.lhs), _evaluate(self.rhs)
        if not self.func(left, right):
            raise InvalidType(str(self), f'{_repr(left)} {self.inv} {_repr(right)}')
