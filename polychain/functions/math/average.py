"""average: the (weighted) mean over axes."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.reshape import reshape
from polychain.functions.math.sum import mean, weighted_mean
from polychain.utils.axes import reduction_axes
from polychain.variable import Variable


def average(x: Any, axis: Any = None, weights: Any = None, keepdims: bool = False) -> Variable:
    """Weighted average over ``axis``.

    Args:
        x: Input variable or array.
        axis: An int, a tuple of ints, or ``None`` for all axes.
        weights: ``None`` for equal weights; otherwise, with ``axis=None``, an
            array of the shape of ``x``, and with an int ``axis``, a 1-D array
            of length ``x.shape[axis]``.
        keepdims: Keep the averaged axes with length 1.

    Raises:
        ValueError: ``weights`` with a tuple ``axis``, or a shape that does not fit.
    """
    if weights is None:
        return mean(x, axis=axis, keepdims=keepdims)
    shape = tuple(x.shape)
    if axis is None:
        if tuple(weights.shape) != shape:
            raise ValueError(f'average: expected weights of shape {shape} (the shape of x) '
                             f'with axis=None, received {tuple(weights.shape)}')
        w = weights
    else:
        if not isinstance(axis, int):
            raise ValueError(f'average: expected an int axis with weights, received {axis!r}')
        a, = reduction_axes(axis, len(shape), 'average')
        if tuple(weights.shape) != (shape[a],):
            raise ValueError(f'average: expected weights of shape {(shape[a],)} along axis '
                             f'{axis}, received {tuple(weights.shape)}')
        w = broadcast_to(reshape(weights, tuple(n if i == a else 1
                                                for i, n in enumerate(shape))), shape)
    return weighted_mean(x, w, axis, keepdims)
