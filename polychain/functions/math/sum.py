"""sum and mean."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.reshape import reshape
from polychain.variable import Variable


def _normalize_axis(axis: Any, ndim: int, function: str = 'sum') -> tuple[int, ...] | None:
    """``axis`` as a sorted tuple of non-negative axes (``None`` stays ``None``)."""
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    normalized = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f'{function}: axis {a} is out of range for an input of {ndim} '
                             f'dimensions')
        normalized.append(a % ndim)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f'{function}: duplicate axes in {axis}')
    return tuple(sorted(normalized))


class Sum(FunctionNode):
    """Sum over axes."""

    def __init__(self, axis: Any = None, keepdims: bool = False) -> None:
        self.axis = axis
        self.keepdims = keepdims

    def forward(self, inputs):
        x, = inputs
        self._in_shape = tuple(x.shape)
        self._axes = _normalize_axis(self.axis, x.ndim)
        return self.xp.sum(x, axis=self._axes, keepdims=self.keepdims),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        if not self.keepdims:
            axes = range(len(self._in_shape)) if self._axes is None else self._axes
            shape = tuple(1 if i in axes else n for i, n in enumerate(self._in_shape))
            gy = reshape(gy, shape)
        return broadcast_to(gy, self._in_shape),


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Variable:  # noqa: A001
    """Sum of the elements over ``axis`` (all axes when ``None``).

    Args:
        x: Input variable or array.
        axis: An int, a tuple of ints, or ``None``.
        keepdims: Keep the summed axes with length 1.
    """
    return Sum(axis, keepdims).apply((x,))[0]


def mean(x: Any, axis: Any = None, weights: Any = None, keepdims: bool = False) -> Variable:
    """Mean over ``axis``, optionally weighted along a single axis (Chainer's ``average``).

    Args:
        x: Input variable or array.
        axis: An int, a tuple of ints, or ``None`` for all axes.
        weights: Weights along ``axis`` (requires an int ``axis``), or ``None``.
        keepdims: Keep the averaged axes with length 1.
    """
    ndim = x.ndim
    axes = _normalize_axis(axis, ndim)
    if weights is not None:
        if axes is None or len(axes) != 1:
            raise ValueError('mean: weights need a single int axis')
        shape = tuple(-1 if i == axes[0] else 1 for i in range(ndim))
        w = reshape(weights, shape)
        return sum(x * broadcast_to(w, x.shape), axis, keepdims) / sum(weights)
    count = 1
    for i, n in enumerate(x.shape):
        if axes is None or i in axes:
            count *= n
    return sum(x, axis, keepdims) * (1.0 / count)
