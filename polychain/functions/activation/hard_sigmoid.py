"""hard_sigmoid."""

from __future__ import annotations

from typing import Any

from polychain.functions.activation.piecewise_linear import PiecewiseLinear
from polychain.variable import Variable


class HardSigmoid(PiecewiseLinear):
    """clip(0.2 * x + 0.5, 0, 1)."""

    def forward(self, inputs):
        return self.xp.clip(inputs[0] * 0.2 + 0.5, 0.0, 1.0),

    def slope(self, x):
        return self.mask((x > -2.5) & (x < 2.5), x.dtype) * 0.2


def hard_sigmoid(x: Any) -> Variable:
    """Piecewise linear approximation of the sigmoid, ``clip(0.2 * x + 0.5, 0, 1)``.

    Args:
        x: Input variable or array of floating dtype.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return HardSigmoid().apply((x,))[0]
