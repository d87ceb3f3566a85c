"""Validation of axis arguments shared by the array functions."""

from __future__ import annotations

from typing import Any

from numpy.exceptions import AxisError


def normalize_axis(axis: Any, ndim: int, function: str, argument: str = 'axis') -> int:
    """``axis`` as a non-negative index into ``ndim`` axes.

    Raises:
        AxisError: ``axis`` is not an integer in ``[-ndim, ndim)`` (an AxisError
            is both a ValueError and an IndexError, as in NumPy).
    """
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise TypeError(f'{function}: expected an integer as {argument}, received '
                        f'{type(axis).__name__}: {axis!r}')
    if not -ndim <= axis < ndim:
        raise AxisError(f'{function}: expected {argument} in [{-ndim}, {ndim}) for an input '
                        f'of {ndim} dimensions, received {argument}={axis}')
    return axis % ndim


def normalize_axes(axes: Any, ndim: int, function: str, argument: str = 'axis') -> tuple[int, ...]:
    """An int or a sequence of ints as distinct non-negative axes, in the given order."""
    given = (axes,) if isinstance(axes, int) else tuple(axes)
    normalized = tuple(normalize_axis(a, ndim, function, argument) for a in given)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f'{function}: expected distinct axes as {argument}, received {axes}')
    return normalized
