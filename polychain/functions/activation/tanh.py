"""tanh."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.variable import Variable


class Tanh(FunctionNode):
    _retain_output_indexes = (0,)

    def forward(self, inputs):
        return self.xp.tanh(inputs[0]),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * (1.0 - y * y),


def tanh(x: Any) -> Variable:
    """Elementwise hyperbolic tangent."""
    return Tanh().apply((x,))[0]
