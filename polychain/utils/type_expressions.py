"""Expression trees of Chainer's type-check language (``in_types[0].ndim == 2``).

An expression remembers how it was written, so that a failed check can say
both what was expected (``in_types[0].ndim == 2``) and what was found
(``3 != 2``). :mod:`polychain.utils.type_check` builds them and raises the
errors; this module only evaluates and prints them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

# Binding strength, loosest first; a sub-expression binding more loosely than
# its parent is printed in parentheses.
_COMPARISON, _ADDITIVE, _MULTIPLICATIVE, _UNARY, _POWER, _POSTFIX, _ATOM = range(7)


def describe(value: Any) -> str:
    """How a value is printed in an expression or an error message."""
    if isinstance(value, type):
        return f'{value.__module__}.{value.__qualname__}'
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, slice):
        parts = ['' if v is None else describe(v) for v in (value.start, value.stop)]
        return ':'.join(parts) + ('' if value.step is None else f':{describe(value.step)}')
    return str(value)


def as_expr(value: Any) -> Expr:
    """``value`` itself when it is an expression, else a :class:`Constant` holding it."""
    return value if isinstance(value, Expr) else Constant(value)


class Expr:
    """A node of an expression tree; ``eval()`` computes it, ``str()`` prints it.

    Comparisons build :class:`Comparison` nodes, arithmetic builds
    :class:`BinaryOperator` nodes, and attribute access, indexing and calls
    build :class:`Member`, :class:`GetItem` and :class:`Call` nodes.
    Converting an expression to ``bool`` evaluates it.

    Args:
        priority: How tightly the expression binds when printed.
    """

    def __init__(self, priority: int) -> None:
        self.priority = priority

    def eval(self) -> Any:
        """The value of the expression."""
        raise NotImplementedError(f'{type(self).__name__} must implement eval()')

    def __bool__(self) -> bool:
        return bool(self.eval())

    __hash__ = object.__hash__

    def __getattr__(self, name: str) -> Member:
        if name.startswith('_'):
            raise AttributeError(name)
        return Member(self, name)

    def __getitem__(self, key: Any) -> GetItem:
        return GetItem(self, key)

    def __call__(self, *args: Any) -> Call:
        return Call(self, args)

    def __eq__(self, other: Any) -> Comparison:  # type: ignore[override]
        return Comparison('==', self, other)

    def __ne__(self, other: Any) -> Comparison:  # type: ignore[override]
        return Comparison('!=', self, other)

    def __lt__(self, other: Any) -> Comparison:
        return Comparison('<', self, other)

    def __le__(self, other: Any) -> Comparison:
        return Comparison('<=', self, other)

    def __gt__(self, other: Any) -> Comparison:
        return Comparison('>', self, other)

    def __ge__(self, other: Any) -> Comparison:
        return Comparison('>=', self, other)

    def __neg__(self) -> UnaryOperator:
        return UnaryOperator('-', self, operator.neg)

    def __pos__(self) -> UnaryOperator:
        return UnaryOperator('+', self, operator.pos)

    def __invert__(self) -> UnaryOperator:
        return UnaryOperator('~', self, operator.invert)


def _binary(symbol: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The operator method for ``symbol`` and its reflected form."""
    def method(self: Expr, other: Any) -> BinaryOperator:
        return BinaryOperator(symbol, self, other)

    def reflected(self: Expr, other: Any) -> BinaryOperator:
        return BinaryOperator(symbol, other, self)
    return method, reflected


_ARITHMETIC = {
    '+': (operator.add, _ADDITIVE, 'add'),
    '-': (operator.sub, _ADDITIVE, 'sub'),
    '*': (operator.mul, _MULTIPLICATIVE, 'mul'),
    '/': (operator.truediv, _MULTIPLICATIVE, 'truediv'),
    '//': (operator.floordiv, _MULTIPLICATIVE, 'floordiv'),
    '%': (operator.mod, _MULTIPLICATIVE, 'mod'),
    '**': (operator.pow, _POWER, 'pow'),
}
for _symbol, (_, _, _name) in _ARITHMETIC.items():
    _method, _reflected = _binary(_symbol)
    setattr(Expr, f'__{_name}__', _method)
    setattr(Expr, f'__r{_name}__', _reflected)


class Constant(Expr):
    """A value written literally in the expression (``2``, ``numpy.float32``)."""

    def __init__(self, value: Any) -> None:
        super().__init__(_ATOM)
        self.value = value

    def eval(self) -> Any:
        return self.value

    def __str__(self) -> str:
        return describe(self.value)


class Variable(Expr):
    """A named value, such as ``in_types[0]`` or ``in_types.size``.

    Args:
        value: The value the name stands for.
        name: How it is printed.
    """

    def __init__(self, value: Any, name: str) -> None:
        super().__init__(_ATOM)
        self.value = value
        self.name = name

    def eval(self) -> Any:
        return self.value

    def __str__(self) -> str:
        return self.name


def _operand(expr: Expr, parent_priority: int, strictly_looser: bool) -> str:
    text = str(expr)
    looser = expr.priority < parent_priority if strictly_looser \
        else expr.priority <= parent_priority
    return f'({text})' if looser else text


class Member(Expr):
    """``obj.name``."""

    def __init__(self, obj: Expr, name: str) -> None:
        super().__init__(_POSTFIX)
        self.obj = obj
        self.name = name

    def eval(self) -> Any:
        return getattr(self.obj.eval(), self.name)

    def __str__(self) -> str:
        return f'{_operand(self.obj, _POSTFIX, True)}.{self.name}'


class GetItem(Expr):
    """``obj[key]``; ``key`` may hold expressions and slices."""

    def __init__(self, obj: Expr, key: Any) -> None:
        super().__init__(_POSTFIX)
        self.obj = obj
        self.key = key

    def eval(self) -> Any:
        return self.obj.eval()[_evaluate(self.key)]

    def __str__(self) -> str:
        keys = self.key if isinstance(self.key, tuple) else (self.key,)
        text = ', '.join(str(k) if isinstance(k, Expr) else describe(k) for k in keys)
        return f'{_operand(self.obj, _POSTFIX, True)}[{text}]'


class Call(Expr):
    """``func(*args)``."""

    def __init__(self, func: Expr, args: tuple[Any, ...]) -> None:
        super().__init__(_POSTFIX)
        self.func = func
        self.args = tuple(as_expr(a) for a in args)

    def eval(self) -> Any:
        return self.func.eval()(*[a.eval() for a in self.args])

    def __str__(self) -> str:
        return f'{_operand(self.func, _POSTFIX, True)}({", ".join(map(str, self.args))})'


class UnaryOperator(Expr):
    """``-x``, ``+x`` or ``~x``."""

    def __init__(self, symbol: str, operand: Expr, func: Callable[[Any], Any]) -> None:
        super().__init__(_UNARY)
        self.symbol = symbol
        self.operand = operand
        self.func = func

    def eval(self) -> Any:
        return self.func(self.operand.eval())

    def __str__(self) -> str:
        return f'{self.symbol}{_operand(self.operand, _UNARY, True)}'


class BinaryOperator(Expr):
    """``lhs <symbol> rhs`` for the arithmetic operators."""

    def __init__(self, symbol: str, lhs: Any, rhs: Any) -> None:
        self.func, priority, _ = _ARITHMETIC[symbol]
        super().__init__(priority)
        self.symbol = symbol
        self.lhs = as_expr(lhs)
        self.rhs = as_expr(rhs)

    def eval(self) -> Any:
        return self.func(self.lhs.eval(), self.rhs.eval())

    def __str__(self) -> str:
        right_associative = self.symbol == '**'
        left = _operand(self.lhs, self.priority, not right_associative)
        right = _operand(self.rhs, self.priority, right_associative)
        return f'{left} {self.symbol} {right}'


_COMPARISONS = {
    '==': (operator.eq, '!='),
    '!=': (operator.ne, '=='),
    '<': (operator.lt, '>='),
    '<=': (operator.le, '>'),
    '>': (operator.gt, '<='),
    '>=': (operator.ge, '<'),
}


class Comparison(Expr):
    """``lhs <symbol> rhs`` for ``== != < <= > >=``: the conditions ``expect`` checks."""

    def __init__(self, symbol: str, lhs: Any, rhs: Any) -> None:
        super().__init__(_COMPARISON)
        self.func, self.negation = _COMPARISONS[symbol]
        self.symbol = symbol
        self.lhs = as_expr(lhs)
        self.rhs = as_expr(rhs)

    def eval(self) -> bool:
        return bool(self.func(self.lhs.eval(), self.rhs.eval()))

    def failure(self) -> tuple[str, str] | None:
        """``None`` when the comparison holds, else ``(expected, actual)`` as text."""
        left, right = self.lhs.eval(), self.rhs.eval()
        if self.func(left, right):
            return None
        return str(self), f'{describe(left)} {self.negation} {describe(right)}'

    def __str__(self) -> str:
        return (f'{_operand(self.lhs, _COMPARISON, False)} {self.symbol} '
                f'{_operand(self.rhs, _COMPARISON, False)}')


def _evaluate(value: Any) -> Any:
    """Evaluates expressions inside an index (tuples and slices included)."""
    if isinstance(value, Expr):
        return value.eval()
    if isinstance(value, tuple):
        return tuple(_evaluate(v) for v in value)
    if isinstance(value, slice):
        return slice(_evaluate(value.start), _evaluate(value.stop), _evaluate(value.step))
    return value
