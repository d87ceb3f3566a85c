"""relu."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.variable import Variable


class ReLU(FunctionNode):
    """max(x, 0); the gradient at 0 is 0."""

    _retain_output_indexes = (0,)

    def forward(self, inputs):
        return self.xp.maximum(inputs[0], 0),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        y, = self.output_data
        return gy * self.xp.astype(y > 0, gy.dtype),


def relu(x: Any) -> Variable:
    """Rectified linear unit, ``max(x, 0)``."""
    return ReLU().apply((x,))[0]
