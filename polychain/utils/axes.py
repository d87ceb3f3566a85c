"""Axis arguments: the one owner of their validation (array functions and reductions)."""

from __future__ import annotations

import operator
from typing import Any

from numpy.exceptions import AxisError

from polychain.utils.type_check import InvalidType


class AxisOutOfRange(InvalidType, AxisError):
    """An axis argument out of range.

    Chainer reports it as :class:`~polychain.utils.type_check.InvalidType`;
    it is also NumPy's ``AxisError`` (so a ValueError and an IndexError).
    """

    __str__ = InvalidType.__str__


def is_integer(value: Any) -> bool:
    """Whether ``value`` is an integer (a Python or NumPy one), not a bool."""
    return hasattr(value, '__index__') and not isinstance(value, bool)


def normalize_axis(axis: Any, ndim: int, function: str, argument: str = 'axis') -> int:
    """``axis`` as a non-negative index into ``ndim`` axes.

    Raises:
        TypeError: ``axis`` is not an integer.
        AxisOutOfRange: ``axis`` is not in ``[-ndim, ndim)``.
    """
    if not is_integer(axis):
        raise TypeError(f'{function}: expected an integer as {argument}, received '
                        f'{type(axis).__name__}: {axis!r}')
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise AxisOutOfRange(f'{function}: {argument} in [{-ndim}, {ndim}) for an input of '
                             f'{ndim} dimensions', f'{argument}={axis}')
    return axis % ndim


def normalize_axes(axes: Any, ndim: int, function: str, argument: str = 'axis') -> tuple[int, ...]:
    """An int or a sequence of ints as distinct non-negative axes, in the given order."""
    given = (axes,) if is_integer(axes) else tuple(axes)
    normalized = tuple(normalize_axis(a, ndim, function, argument) for a in given)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f'{function}: expected distinct axes as {argument}, received {axes}')
    return normalized


def reduction_axes(axis: Any, ndim: int, function: str,
                   allow_tuple: bool = True) -> tuple[int, ...] | None:
    """The ``axis`` argument of a reduction as sorted non-negative axes; ``None`` stays ``None``.

    Raises:
        TypeError: ``axis`` is not an int (or a tuple of ints when ``allow_tuple``).
        AxisOutOfRange: An axis is out of range (an InvalidType and an AxisError).
        ValueError: An axis appears twice.
    """
    if axis is None:
        return None
    if not (is_integer(axis) or allow_tuple and isinstance(axis, tuple)
            and all(is_integer(a) for a in axis)):
        expected = 'an int or a tuple of ints' if allow_tuple else 'an int'
        raise TypeError(f'{function}: expected {expected} as axis, received '
                        f'{type(axis).__name__}: {axis!r}')
    return tuple(sorted(normalize_axes(axis, ndim, function)))
