"""logsumexp: ``log(sum(exp(x)))`` over axes, without overflow."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.reshape import reshape
from polychain.functions.math.exponential import exp
from polychain.utils.axes import reduction_axes
from polychain.variable import Variable


class LogSumExp(FunctionNode):
    """Subtracts the maximum before exponentiating; the gradient is the softmax of ``x``."""

    _retain_input_indexes = (0,)
    _retain_output_indexes = (0,)

    def __init__(self, axis: Any) -> None:
        self.axis = axis

    def forward(self, inputs):
        x, = inputs
        xp = self.xp
        self._axes = reduction_axes(self.axis, x.ndim, 'logsumexp')
        m = xp.max(x, axis=self._axes, keepdims=True)
        m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
        y = xp.log(xp.sum(xp.exp(x - m), axis=self._axes, keepdims=True)) + m
        return xp.squeeze(y, axis=self._axes or tuple(range(x.ndim))) if x.ndim else y,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        shape = tuple(x.shape)
        kept = tuple(1 if self._axes is None or i in self._axes else n
                     for i, n in enumerate(shape))
        softmax = exp(x - broadcast_to(reshape(y, kept), shape))
        return broadcast_to(reshape(grad_outputs[0], kept), shape) * softmax,


def logsumexp(x: Any, axis: Any = None) -> Variable:
    """``log(sum(exp(x), axis))``, computed without overflow for large ``|x|``.

    Args:
        x: Input variable or array.
        axis: An int, a tuple of ints, or ``None`` for all axes.
    """
    return LogSumExp(axis).apply((x,))[0]
