"""absolute_error and mean_absolute_error; the gradient at ``x0 == x1`` is 0."""

from __future__ import annotations

from typing import Any

from polychain.functions.loss.pairwise import PairwiseLoss
from polychain.variable import Variable


class AbsoluteError(PairwiseLoss):
    """``|x0 - x1|`` elementwise."""

    def forward(self, inputs):
        return self.xp.abs(inputs[0] - inputs[1]),

    def backward(self, indexes, grad_outputs):
        x0, x1 = self._retained_input_data
        gx0 = grad_outputs[0] * self.xp.sign(x0 - x1)
        return gx0, -gx0


class MeanAbsoluteError(PairwiseLoss):
    """The mean of ``|x0 - x1|`` over all elements."""

    def forward(self, inputs):
        diff = inputs[0] - inputs[1]
        # mean, not sum / size: NumPy and JAX accumulate float16 in float32 there.
        return self.xp.mean(self.xp.abs(diff)),

    def backward(self, indexes, grad_outputs):
        x0, x1 = self._retained_input_data
        gx0 = grad_outputs[0] * (self.xp.sign(x0 - x1) / x0.size)
        return gx0, -gx0


def absolute_error(x0: Any, x1: Any) -> Variable:
    """Elementwise absolute error ``|x0 - x1|``.

    Args:
        x0: Input variable, floating dtype.
        x1: Input variable of ``x0``'s shape and dtype.

    Returns:
        A variable of ``x0``'s shape.
    """
    return AbsoluteError().apply((x0, x1))[0]


def mean_absolute_error(x0: Any, x1: Any) -> Variable:
    """Mean absolute error ``mean(|x0 - x1|)`` over all elements.

    Args:
        x0: Input variable, floating dtype.
        x1: Input variable of ``x0``'s shape and dtype.

    Returns:
        A scalar variable.
    """
    return MeanAbsoluteError().apply((x0, x1))[0]
