"""transpose and the axis moves built on it: swapaxes, moveaxis, rollaxis."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.utils.axes import (
    AxisOutOfRange,
    is_integer,
    normalize_axes,
    normalize_axis,
)
from polychain.variable import Variable


class Transpose(FunctionNode):
    """Permutes the axes of an array."""

    def __init__(self, axes: tuple[int, ...] | None) -> None:
        self.axes = axes

    def forward(self, inputs):
        x, = inputs
        axes = self.axes
        if axes is None:
            axes = self.axes = tuple(range(x.ndim - 1, -1, -1))
        elif len(axes) != x.ndim or any(not -x.ndim <= a < x.ndim for a in axes) or \
                sorted(a % x.ndim for a in axes) != list(range(x.ndim)):
            raise ValueError(f'transpose: expected a permutation of {x.ndim} axes, received '
                             f'{axes} for shape {tuple(x.shape)}')
        else:
            axes = self.axes = tuple(a % x.ndim for a in axes)
        return self.xp.permute_dims(x, axes),

    def backward(self, indexes, grad_outputs):
        ndim = len(self.axes)
        inverse = tuple(sorted(range(ndim), key=lambda i: self.axes[i] % ndim))
        return transpose(grad_outputs[0], inverse),


def transpose(x: Any, axes: Any = None) -> Variable:
    """Permutes the axes of ``x``; ``axes=None`` reverses them.

    Args:
        x: Input variable or array.
        axes: A permutation of ``range(x.ndim)``, or ``None``.
    """
    return Transpose(None if axes is None else tuple(axes)).apply((x,))[0]


def swapaxes(x: Any, axis1: int, axis2: int) -> Variable:
    """Swaps two axes.

    Args:
        x: Input variable or array.
        axis1: The first axis.
        axis2: The second axis.
    """
    ndim = x.ndim
    axis1 = normalize_axis(axis1, ndim, 'swapaxes', 'axis1')
    axis2 = normalize_axis(axis2, ndim, 'swapaxes', 'axis2')
    axes = list(range(ndim))
    axes[axis1], axes[axis2] = axis2, axis1
    return transpose(x, axes)


def moveaxis(x: Any, source: Any, destination: Any) -> Variable:
    """Moves axes to new positions; the others keep their order.

    Args:
        x: Input variable or array.
        source: An int or a sequence of ints: the axes to move.
        destination: An int or a sequence of ints: their new positions.
    """
    ndim = x.ndim
    source = normalize_axes(source, ndim, 'moveaxis', 'source')
    destination = normalize_axes(destination, ndim, 'moveaxis', 'destination')
    if len(source) != len(destination):
        raise ValueError(f'moveaxis: expected as many destination as source axes, received '
                         f'source={source} and destination={destination}')
    rest = [a for a in range(ndim) if a not in source]
    for dst, src in sorted(zip(destination, source)):
        rest.insert(dst, src)
    return transpose(x, rest)


def rollaxis(x: Any, axis: int, start: int = 0) -> Variable:
    """Rolls ``axis`` backwards until it lies before position ``start`` (NumPy's rollaxis).

    Args:
        x: Input variable or array.
        axis: The axis to move.
        start: The axis is placed before the axis at this position, in
            ``[-x.ndim, x.ndim]``.
    """
    ndim = x.ndim
    axis = normalize_axis(axis, ndim, 'rollaxis')
    if not is_integer(start):
        raise TypeError(f'rollaxis: expected an integer as start, received '
                        f'{type(start).__name__}: {start!r}')
    if not -ndim <= start <= ndim:
        raise AxisOutOfRange(f'rollaxis: start in [{-ndim}, {ndim}] for an input of {ndim} '
                             f'dimensions', f'start={start}')
    if start < 0:
        start += ndim
    if axis < start:
        start -= 1
    axes = [a for a in range(ndim) if a != axis]
    axes.insert(start, axis)
    return transpose(x, axes)
