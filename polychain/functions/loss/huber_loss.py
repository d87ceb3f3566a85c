"""huber_loss: squared error near the target, absolute error beyond ``delta``."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.reshape import reshape
from polychain.functions.loss.input_checks import check_reduce
from polychain.functions.loss.pairwise import PairwiseLoss
from polychain.variable import Variable


class HuberLoss(PairwiseLoss):
    """``d ** 2 / 2`` where ``|d| <= delta``, else ``delta * (|d| - delta / 2)``, ``d = x - t``."""

    def __init__(self, delta: float, reduce: str) -> None:
        self.delta = delta
        self.reduce = reduce

    def forward(self, inputs):
        xp = self.xp
        diff = inputs[0] - inputs[1]
        size = xp.abs(diff)
        beyond = xp.maximum(size - self.delta, 0.0)
        # d**2 - beyond**2 as a product: the squares overflow float16 where the loss does not.
        loss = (size - beyond) * (size + beyond) * 0.5
        return (xp.sum(loss, axis=1) if self.reduce == 'sum_along_second_axis' else loss),

    def backward(self, indexes, grad_outputs):
        xp = self.xp
        x, t = self.get_retained_inputs()
        diff = x - t
        inside = xp.abs(diff.array) <= self.delta
        # clip(diff, -delta, delta): diff inside, a constant +-delta beyond.
        clipped = diff * xp.astype(inside, diff.dtype) + \
            xp.where(inside, 0.0, xp.sign(diff.array) * self.delta)
        gy = grad_outputs[0]
        if self.reduce == 'sum_along_second_axis':
            gy = reshape(gy, gy.shape[:1] + (1,) + gy.shape[1:])
        gx = clipped * gy
        return gx, -gx


def huber_loss(x: Any, t: Any, delta: float, reduce: str = 'sum_along_second_axis') -> Variable:
    """Huber loss of ``x`` against ``t``.

    With ``d = x - t``, the loss of an element is ``d ** 2 / 2`` where
    ``|d| <= delta`` and ``delta * (|d| - delta / 2)`` elsewhere.

    Args:
        x: Input variable, floating dtype, at least 2-dimensional with
            ``reduce='sum_along_second_axis'``.
        t: Target variable of ``x``'s shape and dtype.
        delta: Where the loss turns from quadratic to linear.
        reduce: ``'sum_along_second_axis'`` sums the loss over axis 1; ``'no'``
            keeps the loss of each element.

    Returns:
        A variable of shape ``x.shape[:1] + x.shape[2:]``, or ``x.shape`` with ``reduce='no'``.
    """
    check_reduce('huber_loss', reduce, ('sum_along_second_axis', 'no'))
    return HuberLoss(delta, reduce).apply((x, t))[0]
