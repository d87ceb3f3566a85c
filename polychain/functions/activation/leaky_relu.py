"""leaky_relu."""

from __future__ import annotations

from typing import Any

from polychain.functions.activation.piecewise_linear import PiecewiseLinear
from polychain.variable import Variable


class LeakyReLU(PiecewiseLinear):
    """x for x >= 0, slope * x otherwise."""

    def __init__(self, slope: float = 0.2) -> None:
        self.negative_slope = float(slope)

    def forward(self, inputs):
        x, = inputs
        return self.xp.where(x >= 0, x, x * self.negative_slope),

    def slope(self, x):
        # 1 where x >= 0, negative_slope elsewhere
        return self.mask(x >= 0, x.dtype) * (1.0 - self.negative_slope) + self.negative_slope


def leaky_relu(x: Any, slope: float = 0.2) -> Variable:
    """Leaky rectified linear unit: ``x`` where ``x >= 0``, ``slope * x`` elsewhere.

    Args:
        x: Input variable or array of floating dtype.
        slope: Slope of the negative part.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return LeakyReLU(slope).apply((x,))[0]
