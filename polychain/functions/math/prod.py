"""prod: product of elements over axes."""

from __future__ import annotations

from typing import Any

from array_api_compat import device as array_device

from polychain.function_node import FunctionNode
from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.math.cumulative import cumprod, flip
from polychain.utils.axes import reduction_axes
from polychain.variable import Variable


class ShiftLast(FunctionNode):
    """Shifts the last axis by one place (right when ``right``), filling with ``fill``."""

    def __init__(self, right: bool, fill: float) -> None:
        self.right = right
        self.fill = fill

    def forward(self, inputs):
        x, = inputs
        xp = self.xp
        n = x.shape[-1]
        kept = max(n - 1, 0)  # an empty last axis stays empty
        edge = xp.full(tuple(x.shape[:-1]) + (n - kept,), self.fill, dtype=x.dtype,
                       device=array_device(x))
        if self.right:
            return xp.concat((edge, x[..., :kept]), axis=-1),
        return xp.concat((x[..., n - kept:], edge), axis=-1),

    def backward(self, indexes, grad_outputs):
        return ShiftLast(not self.right, 0.0).apply(grad_outputs)


def _exclusive_cumprod(x: Variable) -> Variable:
    """``out[..., i]`` = product of ``x[..., j]`` for ``j < i`` (1 for ``i = 0``)."""
    return cumprod(ShiftLast(True, 1.0).apply((x,))[0], axis=x.ndim - 1)


class Prod(FunctionNode):
    """Product over axes; the gradient is exact where inputs are zero."""

    _retain_input_indexes = (0,)

    def __init__(self, axis: Any, keepdims: bool) -> None:
        self.axis = axis
        self.keepdims = keepdims

    def forward(self, inputs):
        x, = inputs
        self._axes = reduction_axes(self.axis, x.ndim, 'prod')
        return self.xp.prod(x, axis=self._axes, keepdims=self.keepdims),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        shape = tuple(x.shape)
        reduced = tuple(range(len(shape))) if self._axes is None else self._axes
        order = tuple(i for i in range(len(shape)) if i not in reduced) + reduced
        kept = tuple(shape[i] for i in order[:len(order) - len(reduced)])
        n = 1
        for i in reduced:
            n *= shape[i]
        rows = reshape(transpose(x, order), kept + (n,))
        last = len(kept)
        others = _exclusive_cumprod(rows) * flip(_exclusive_cumprod(flip(rows, last)), last)
        g = reshape(grad_outputs[0], kept + (1,)) * others
        g = reshape(g, tuple(shape[i] for i in order))
        return transpose(g, tuple(order.index(i) for i in range(len(shape)))),


def prod(x: Any, axis: Any = None, keepdims: bool = False) -> Variable:
    """Product of the elements over ``axis``.

    Args:
        x: Input variable or array.
        axis: An int, a tuple of ints, or ``None`` for all axes.
        keepdims: Keep the reduced axes with length 1.
    """
    return Prod(axis, keepdims).apply((x,))[0]
