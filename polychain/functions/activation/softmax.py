"""softmax and log_softmax along one axis, computed stably by subtracting the maximum."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.activation.axis_check import expect_axis_in_range
from polychain.functions.math.exponential import exp
from polychain.functions.math.sum import sum as sum_
from polychain.variable import Variable


class _AlongAxis(FunctionNode):
    """Base of the normalisations along ``axis``; the array library rejects a bad axis."""

    check_type_on_failure = True
    _retain_output_indexes = (0,)

    def __init__(self, axis: int = 1) -> None:
        self.axis = axis

    def check_type_forward(self, in_types):
        x_type, = in_types
        expect_axis_in_range(x_type, self.axis)

    def _shifted(self, x: Any) -> Any:
        """``x`` minus its maximum along the axis: its largest entry is 0."""
        return x - self.xp.max(x, axis=self.axis, keepdims=True)


class Softmax(_AlongAxis):
    """exp(x) / sum(exp(x)) along ``axis``."""

    def forward(self, inputs):
        xp = self.xp
        e = xp.exp(self._shifted(inputs[0]))
        return e / xp.sum(e, axis=self.axis, keepdims=True),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        gx = y * grad_outputs[0]
        return gx - y * sum_(gx, axis=self.axis, keepdims=True),


class LogSoftmax(_AlongAxis):
    """x - log(sum(exp(x))) along ``axis``."""

    def forward(self, inputs):
        xp = self.xp
        shifted = self._shifted(inputs[0])
        return shifted - xp.log(xp.sum(xp.exp(shifted), axis=self.axis, keepdims=True)),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        return gy - exp(y) * sum_(gy, axis=self.axis, keepdims=True),


def softmax(x: Any, axis: int = 1) -> Variable:
    """Softmax along ``axis``: ``exp(x) / sum(exp(x), axis)``.

    Args:
        x: Input variable or array of floating dtype.
        axis: The axis along which the outputs sum to one.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return Softmax(axis).apply((x,))[0]


def log_softmax(x: Any, axis: int = 1) -> Variable:
    """Logarithm of the softmax along ``axis``: ``x - logsumexp(x, axis)``.

    It is computed directly rather than as ``log(softmax(x))``, which underflows.

    Args:
        x: Input variable or array of floating dtype.
        axis: The axis along which the normalisation runs.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return LogSoftmax(axis).apply((x,))[0]
