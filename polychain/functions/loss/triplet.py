"""triplet: anchors nearer to positives than to negatives by a margin."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.array.reshape import reshape
from polychain.functions.loss.input_checks import check_reduce, expect_same_floats
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


class Triplet(FunctionNode):
    """``max(|a - p| ** 2 - |a - n| ** 2 + margin, 0)`` per row."""

    _retain_input_indexes = (0, 1, 2)

    def __init__(self, margin: float, reduce: str) -> None:
        self.margin = margin
        self.reduce = reduce

    def check_type_forward(self, in_types):
        expect_same_floats(self.xp, in_types, ('anchor', 'positive', 'negative'))
        if in_types[0].ndim < 1 or in_types[0].shape[0] == 0:
            raise InvalidType('anchor.shape[0] > 0', f'anchor.shape == {in_types[0].shape}')

    def forward(self, inputs):
        xp = self.xp
        anchor, positive, negative = inputs
        to_positive = anchor - positive
        to_negative = anchor - negative
        axes = tuple(range(1, anchor.ndim))
        gap = xp.sum(to_positive * to_positive - to_negative * to_negative, axis=axes) + \
            self.margin
        loss = xp.maximum(gap, 0.0)
        self.active = xp.astype(gap > 0, anchor.dtype)
        return (xp.mean(loss) if self.reduce == 'mean' else loss),

    def backward(self, indexes, grad_outputs):
        anchor, positive, negative = self.get_retained_inputs()
        gy = grad_outputs[0]
        if self.reduce == 'mean':
            gy = gy * (1.0 / anchor.shape[0])
        scale = reshape(gy * (2.0 * self.active), anchor.shape[:1] + (1,) * (anchor.ndim - 1))
        return ((negative - positive) * scale, (positive - anchor) * scale,
                (anchor - negative) * scale)


def triplet(anchor: Any, positive: Any, negative: Any, margin: float = 0.2,
            reduce: str = 'mean') -> Variable:
    """Triplet loss ``max(|a - p| ** 2 - |a - n| ** 2 + margin, 0)`` of each sample.

    Args:
        anchor: Anchor features, shape ``(N, K)``, floating dtype.
        positive: Features similar to the anchors, of ``anchor``'s shape and dtype.
        negative: Features dissimilar to the anchors, of ``anchor``'s shape and dtype.
        margin: The margin by which negatives must be farther than positives.
        reduce: ``'mean'`` for the mean over samples, ``'no'`` for the loss of each.

    Returns:
        A scalar variable, or one of shape ``(N,)`` with ``reduce='no'``.
    """
    if margin <= 0:
        raise ValueError(f'triplet: expected a positive margin, received {margin}')
    check_reduce('triplet', reduce)
    return Triplet(margin, reduce).apply((anchor, positive, negative))[0]
