"""exp, log and sqrt."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.variable import Variable


class Exp(FunctionNode):
    _retain_output_indexes = (0,)

    def forward(self, inputs):
        return self.xp.exp(inputs[0]),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * y,


class Log(FunctionNode):
    _retain_input_indexes = (0,)

    def forward(self, inputs):
        return self.xp.log(inputs[0]),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] / x,


class Sqrt(FunctionNode):
    _retain_output_indexes = (0,)

    def forward(self, inputs):
        return self.xp.sqrt(inputs[0]),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] / (y * 2.0),


def exp(x: Any) -> Variable:
    """Elementwise exponential."""
    return Exp().apply((x,))[0]


def log(x: Any) -> Variable:
    """Elementwise natural logarithm."""
    return Log().apply((x,))[0]


def sqrt(x: Any) -> Variable:
    """Elementwise square root."""
    return Sqrt().apply((x,))[0]
