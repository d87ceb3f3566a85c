"""crelu: the positive and the negative part of the input, concatenated."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.activation.axis_check import expect_axis_in_range
from polychain.functions.array.get_item import get_item
from polychain.variable import Variable


class CReLU(FunctionNode):
    """concat((max(x, 0), max(-x, 0)), axis)."""

    _retain_input_indexes = (0,)

    def __init__(self, axis: int = 1) -> None:
        self.axis = axis

    def check_type_forward(self, in_types):
        x_type, = in_types
        expect_axis_in_range(x_type, self.axis)

    def forward(self, inputs):
        xp = self.xp
        x, = inputs
        return xp.concat((xp.maximum(x, 0), xp.maximum(-x, 0)), axis=self.axis),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        x = self._retained_input_data[0]
        xp = self.xp
        axis = self.axis % x.ndim
        n = x.shape[axis]
        leading = (slice(None),) * axis
        positive = get_item(gy, leading + (slice(0, n),))
        negative = get_item(gy, leading + (slice(n, 2 * n),))
        return (positive * xp.astype(x > 0, x.dtype) - negative * xp.astype(x < 0, x.dtype)),


def crelu(x: Any, axis: int = 1) -> Variable:
    """Concatenated rectified linear unit: ``relu(x)`` and ``relu(-x)`` joined along ``axis``.

    Args:
        x: Input variable or array of floating dtype.
        axis: The axis along which the two halves are concatenated; the output
            is twice as long as ``x`` along it.

    Returns:
        A variable of the dtype of ``x``.
    """
    return CReLU(axis).apply((x,))[0]
