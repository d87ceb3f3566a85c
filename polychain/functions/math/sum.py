"""sum and mean."""

from __future__ import annotations

import math
import warnings
from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.reshape import reshape
from polychain.utils.axes import reduction_axes
from polychain.variable import Variable


class Sum(FunctionNode):
    """Sum over axes."""

    def __init__(self, axis: Any = None, keepdims: bool = False) -> None:
        self.axis = axis
        self.keepdims = keepdims

    def forward(self, inputs):
        x, = inputs
        self._in_shape = tuple(x.shape)
        self._axes = reduction_axes(self.axis, x.ndim, 'sum')
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
    axes = reduction_axes(axis, ndim, 'sum')
    if weights is not None:
        if axes is None or len(axes) != 1:
            raise ValueError('mean: weights need a single int axis')
        shape = tuple(-1 if i == axes[0] else 1 for i in range(ndim))
        w = reshape(weights, shape)
        return weighted_mean(x, broadcast_to(w, x.shape), axis, keepdims)
    return Mean(axes, keepdims).apply((x,))[0]


def weighted_mean(x: Any, w: Any, axis: Any = None, keepdims: bool = False) -> Variable:
    """``sum(x * w) / sum(w)`` over ``axis`` for weights ``w`` of ``x``'s shape.

    Taken as a ratio of two means, whose float16 sums are accumulated in float32.
    """
    return mean(x * w, axis, keepdims=keepdims) / mean(w, axis, keepdims=keepdims)


class Mean(FunctionNode):
    """Mean over axes; float16 inputs are summed in float32, so large sums do not overflow."""

    def __init__(self, axes: tuple[int, ...] | None, keepdims: bool = False) -> None:
        self.axes = axes
        self.keepdims = keepdims

    def forward(self, inputs):
        x, = inputs
        xp = self.xp
        self._in_shape = tuple(x.shape)
        self._scale = reciprocal_count(self._in_shape, self.axes)
        return scaled_sum(xp, x, self._scale, self.axes, self.keepdims),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        if not self.keepdims:
            axes = range(len(self._in_shape)) if self.axes is None else self.axes
            gy = reshape(gy, tuple(1 if i in axes else n for i, n in enumerate(self._in_shape)))
        return broadcast_to(gy * self._scale, self._in_shape),


def scaled_sum(xp: Any, x: Any, scale: float, axes: tuple[int, ...] | None = None,
               keepdims: bool = False) -> Any:
    """``sum(x) * scale`` of an array, float16 summed in float32 so that it does not overflow."""
    half = getattr(xp, 'float16', None)  # some Array API libraries have no float16
    if x.dtype == half:
        total = xp.sum(xp.astype(x, xp.float32), axis=axes, keepdims=keepdims)
        return xp.astype(total * scale, half)
    return xp.sum(x, axis=axes, keepdims=keepdims) * scale


def reciprocal_count(shape: tuple[int, ...], axes: tuple[int, ...] | None) -> float:
    """``1 / n`` for the ``n`` values each mean averages; NaN with NumPy's warning for none."""
    count = 1
    for i, n in enumerate(shape):
        if axes is None or i in axes:
            count *= n
    if count == 0:
        warnings.warn('Mean of empty slice.', RuntimeWarning, stacklevel=4)
        return math.nan
    return 1.0 / count
