"""elu and selu."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.variable import Variable


class ELU(FunctionNode):
    """x for x >= 0, alpha * (exp(x) - 1) otherwise."""

    _retain_input_indexes = (0,)
    _retain_output_indexes = (0,)

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = float(alpha)

    def forward(self, inputs):
        xp = self.xp
        x, = inputs
        # expm1 of min(x, 0) keeps large positive inputs from overflowing in the unused branch.
        return xp.where(x >= 0, x, xp.expm1(xp.minimum(x, 0.0)) * self.alpha),

    def backward(self, indexes, grad_outputs):
        # The derivative is 1 for x >= 0 and alpha * exp(x) = y + alpha elsewhere.
        x = self._retained_input_data[0]
        y, = self.get_retained_outputs()
        negative = self.xp.astype(x < 0, x.dtype)
        return grad_outputs[0] * ((y + self.alpha) * negative + (1.0 - negative)),


def elu(x: Any, alpha: float = 1.0) -> Variable:
    """Exponential linear unit: ``x`` where ``x >= 0``, ``alpha * (exp(x) - 1)`` elsewhere.

    Args:
        x: Input variable or array of floating dtype.
        alpha: Scale of the negative part.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return ELU(alpha).apply((x,))[0]


def selu(x: Any, alpha: float = 1.6732632423543772,
         scale: float = 1.0507009873554805) -> Variable:
    """Scaled exponential linear unit, ``scale * elu(x, alpha)``.

    The defaults are the constants that make it self-normalizing.

    Args:
        x: Input variable or array of floating dtype.
        alpha: Scale of the negative part inside the ELU.
        scale: Scale of the whole output.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return elu(x, alpha) * scale
