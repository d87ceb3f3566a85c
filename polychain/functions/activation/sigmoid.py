"""sigmoid."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.variable import Variable


class Sigmoid(FunctionNode):
    """1 / (1 + exp(-x)), computed as tanh(x / 2) / 2 + 1/2 for stability."""

    _retain_output_indexes = (0,)

    def forward(self, inputs):
        x, = inputs
        return self.xp.tanh(x * 0.5) * 0.5 + 0.5,

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * y * (1.0 - y),


def sigmoid(x: Any) -> Variable:
    """Elementwise logistic sigmoid."""
    return Sigmoid().apply((x,))[0]
