"""The methods of Variable that apply functions: ``reshape``, ``transpose``, ``mean``, ``T``
and indexing.

:mod:`polychain.variable` imports no function; the functions package installs these
methods when it is imported, as it installs the operators (see :mod:`basic_math`).
"""

from __future__ import annotations

from typing import Any

from polychain.functions.array.get_item import get_item as _get_item
from polychain.functions.array.reshape import reshape as _reshape
from polychain.functions.array.transpose import transpose as _transpose
from polychain.functions.math.average import average as _average
from polychain.variable import Variable


def reshape(self: Variable, *shape: Any) -> Variable:
    """``F.reshape`` of this variable; accepts ``reshape(2, 3)`` and ``reshape((2, 3))``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return _reshape(self, shape)


def transpose(self: Variable, *axes: Any) -> Variable:
    """``F.transpose`` of this variable; no axes reverses them."""
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return _transpose(self, axes or None)


def mean(self: Variable, axis: Any = None, *, weights: Any = None, keepdims: bool = False
         ) -> Variable:
    """``F.average`` of this variable (weighted when ``weights`` is given)."""
    return _average(self, axis=axis, weights=weights, keepdims=keepdims)


def T(self: Variable) -> Variable:  # noqa: N802 - the name of the property
    """The variable with its axes reversed."""
    return _transpose(self, None)


def __getitem__(self: Variable, index: Any) -> Variable:  # noqa: N807 - the method's name
    """``F.get_item`` of this variable."""
    return _get_item(self, index)


def install_variable_methods() -> None:
    """Gives :class:`~polychain.Variable` the methods that apply functions."""
    for method in (reshape, transpose, mean, __getitem__):
        method.__qualname__ = f'Variable.{method.__name__}'
        setattr(Variable, method.__name__, method)
    T.__qualname__ = 'Variable.T'
    Variable.T = property(T)
