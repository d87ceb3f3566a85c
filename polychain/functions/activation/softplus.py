"""softplus."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.activation.sigmoid import sigmoid
from polychain.variable import Variable


class Softplus(FunctionNode):
    """log(1 + exp(beta * x)) / beta, as max(bx, 0) + log1p(exp(-|bx|)) so it never overflows."""

    _retain_input_indexes = (0,)

    def __init__(self, beta: float = 1.0) -> None:
        self.beta = float(beta)

    def forward(self, inputs):
        xp = self.xp
        bx = inputs[0] * self.beta
        return (xp.maximum(bx, 0.0) + xp.log1p(xp.exp(-xp.abs(bx)))) * (1.0 / self.beta),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * sigmoid(x * self.beta),


def softplus(x: Any, beta: float = 1.0) -> Variable:
    """Smooth approximation of ReLU, ``log(1 + exp(beta * x)) / beta``.

    It is computed without overflow for large ``|beta * x|``.

    Args:
        x: Input variable or array of floating dtype.
        beta: Sharpness: the larger, the closer to ``relu``.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return Softplus(beta).apply((x,))[0]
