"""squared_error and mean_squared_error."""

from __future__ import annotations

from typing import Any

from polychain.functions.loss.pairwise import PairwiseLoss
from polychain.variable import Variable


class SquaredError(PairwiseLoss):
    """``(x0 - x1) ** 2`` elementwise."""

    def forward(self, inputs):
        diff = inputs[0] - inputs[1]
        return diff * diff,

    def backward(self, indexes, grad_outputs):
        x0, x1 = self.get_retained_inputs()
        gx0 = grad_outputs[0] * 2.0 * (x0 - x1)
        return gx0, -gx0


class MeanSquaredError(PairwiseLoss):
    """The mean of ``(x0 - x1) ** 2`` over all elements."""

    def forward(self, inputs):
        diff = inputs[0] - inputs[1]
        # mean, not sum / size: NumPy and JAX accumulate float16 in float32 there.
        return self.xp.mean(diff * diff),

    def backward(self, indexes, grad_outputs):
        x0, x1 = self.get_retained_inputs()
        gx0 = (x0 - x1) * (grad_outputs[0] * (2.0 / x0.size))
        return gx0, -gx0


def squared_error(x0: Any, x1: Any) -> Variable:
    """Elementwise squared error ``(x0 - x1) ** 2``.

    Args:
        x0: Input variable, floating dtype.
        x1: Input variable of ``x0``'s shape and dtype.

    Returns:
        A variable of ``x0``'s shape.
    """
    return SquaredError().apply((x0, x1))[0]


def mean_squared_error(x0: Any, x1: Any) -> Variable:
    """Mean squared error ``mean((x0 - x1) ** 2)`` over all elements.

    Args:
        x0: Input variable, floating dtype.
        x1: Input variable of ``x0``'s shape and dtype.

    Returns:
        A scalar variable.
    """
    return MeanSquaredError().apply((x0, x1))[0]
