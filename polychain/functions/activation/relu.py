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
        y, = self.output_data
        return ReLUGrad(y).apply(grad_outputs)


class ReLUGrad(FunctionNode):
    """``gy * (y > 0)`` for the output ``y`` of relu: linear in ``gy``, so its own
    gradient is the same mask applied to ``ggy``."""

    def __init__(self, y: Any) -> None:
        self.y = y

    def forward(self, inputs):
        gy, = inputs
        return gy * self.xp.astype(self.y > 0, gy.dtype),

    def backward(self, indexes, grad_outputs):
        return ReLUGrad(self.y).apply(grad_outputs)


def relu(x: Any) -> Variable:
    """Rectified linear unit, ``max(x, 0)``."""
    return ReLU().apply((x,))[0]
