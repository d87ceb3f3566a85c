"""stack, hstack, vstack, dstack and separate: joins and splits built from concat, split_axis
and reshapes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from polychain.functions.array.concat import concat, split_axis
from polychain.functions.array.reshape import reshape
from polychain.utils.axes import normalize_axis
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def _inputs(xs: Sequence[Any], function: str) -> tuple[Any, ...]:
    xs = tuple(xs)
    if not xs:
        raise ValueError(f'{function}: expected at least one input in xs, received none')
    return xs


def _same_ndim(xs: tuple[Any, ...], function: str) -> tuple[Any, ...]:
    """``xs``, checked to have one number of dimensions (Chainer does not mix them)."""
    ndim = xs[0].ndim
    for i, x in enumerate(xs):
        if x.ndim != ndim:
            raise InvalidType(f'{function}: xs[{i}].ndim == xs[0].ndim == {ndim}',
                              f'xs[{i}].shape == {tuple(x.shape)}, '
                              f'xs[0].shape == {tuple(xs[0].shape)}')
    return xs


def _reshaped(xs: tuple[Any, ...], new_shape: Callable[[tuple[int, ...]], tuple[int, ...]]
              ) -> list[Any]:
    return [reshape(x, new_shape(tuple(x.shape))) for x in xs]


def stack(xs: Sequence[Any], axis: int = 0) -> Variable:
    """Joins variables of one shape along a new axis.

    Args:
        xs: Input variables or arrays, all of the same shape.
        axis: Where the new axis goes, in ``[-x.ndim - 1, x.ndim]``.
    """
    xs = _inputs(xs, 'stack')
    axis = normalize_axis(axis, xs[0].ndim + 1, 'stack')
    return concat(_reshaped(xs, lambda s: s[:axis] + (1,) + s[axis:]), axis)


def hstack(xs: Sequence[Any]) -> Variable:
    """Joins variables horizontally: along axis 1, or axis 0 for 1-D inputs.

    Args:
        xs: Input variables or arrays, all of one number of dimensions.
    """
    xs = _same_ndim(_inputs(xs, 'hstack'), 'hstack')
    xs = tuple(_reshaped(xs, lambda s: s or (1,)))
    return concat(xs, 0 if xs[0].ndim == 1 else 1)


def vstack(xs: Sequence[Any]) -> Variable:
    """Joins variables vertically: along axis 0, 1-D inputs becoming rows.

    Args:
        xs: Input variables or arrays, all of one number of dimensions.
    """
    xs = _same_ndim(_inputs(xs, 'vstack'), 'vstack')
    return concat(_reshaped(xs, lambda s: (1,) * (2 - len(s)) + s if len(s) < 2 else s), 0)


def _at_least_3d(shape: tuple[int, ...]) -> tuple[int, ...]:
    if len(shape) == 0:
        return (1, 1, 1)
    if len(shape) == 1:
        return (1,) + shape + (1,)
    if len(shape) == 2:
        return shape + (1,)
    return shape


def dstack(xs: Sequence[Any]) -> Variable:
    """Joins variables depth-wise: along axis 2, after making them at least 3-D.

    Args:
        xs: Input variables or arrays, all of one number of dimensions.
    """
    xs = _same_ndim(_inputs(xs, 'dstack'), 'dstack')
    return concat(_reshaped(xs, _at_least_3d), 2)


def separate(x: Any, axis: int = 0) -> tuple[Variable, ...]:
    """Splits ``x`` into its slices along ``axis``, removing that axis (the inverse of stack).

    Args:
        x: Input variable or array.
        axis: The axis to separate along.
    """
    axis = normalize_axis(axis, x.ndim, 'separate')
    shape = tuple(x.shape)
    inner = shape[:axis] + shape[axis + 1:]
    if not shape[axis]:
        return ()
    return tuple(reshape(y, inner) for y in split_axis(x, shape[axis], axis))
