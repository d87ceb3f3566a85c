"""contrastive: the loss that pulls similar pairs together and pushes others past a margin."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.activation.relu import relu
from polychain.functions.array.reshape import reshape
from polychain.functions.loss.input_checks import (
    check_reduce,
    expect_integer,
    expect_same_floats,
)
from polychain.functions.math.exponential import sqrt
from polychain.functions.math.sum import sum as sum_
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


class Contrastive(FunctionNode):
    """``(y d ** 2 + (1 - y) max(margin - d, 0) ** 2) / 2`` with ``d = |x0 - x1|`` per row."""

    _retain_input_indexes = (0, 1)

    def __init__(self, margin: float, reduce: str) -> None:
        self.margin = margin
        self.reduce = reduce

    def check_type_forward(self, in_types):
        x0, x1, y = in_types
        expect_same_floats(self.xp, (x0, x1), ('x0', 'x1'))
        expect_integer(self.xp, y, 'y')
        if x0.ndim != 2 or y.shape != x0.shape[:1] or x0.shape[0] == 0:
            raise InvalidType('x0.ndim == 2 and y.shape == (x0.shape[0],) with x0.shape[0] > 0',
                              f'x0.shape == {x0.shape}, y.shape == {y.shape}')

    def forward(self, inputs):
        xp = self.xp
        x0, x1, y = inputs
        diff = x0 - x1
        squared = xp.sum(diff * diff, axis=1)
        self.similar = xp.astype(y, x0.dtype)
        apart = xp.maximum(self.margin - xp.sqrt(squared), 0.0)
        loss = (self.similar * squared + (1.0 - self.similar) * apart * apart) * 0.5
        return (xp.sum(loss) / x0.shape[0] if self.reduce == 'mean' else loss),

    def backward(self, indexes, grad_outputs):
        x0, x1 = self.get_retained_inputs()
        xp = self.xp
        diff = x0 - x1
        distance = sqrt(sum_(diff * diff, axis=1))
        # A zero distance has no direction: its gradient is 0, as diff is.
        safe_distance = distance + xp.astype(distance.array == 0, distance.dtype)
        coefficient = relu(self.margin - distance) / safe_distance * (self.similar - 1.0) + \
            self.similar
        gy = grad_outputs[0]
        if self.reduce == 'mean':
            gy = gy * (1.0 / x0.shape[0])
        gx0 = diff * reshape(coefficient * gy, (-1, 1))
        return gx0, -gx0, None


def contrastive(x0: Any, x1: Any, y: Any, margin: float = 1, reduce: str = 'mean') -> Variable:
    """Contrastive loss of pairs of feature vectors.

    With ``d`` the Euclidean distance of ``x0[i]`` and ``x1[i]``, the loss of
    pair ``i`` is ``d ** 2 / 2`` when ``y[i] == 1`` (similar) and
    ``max(margin - d, 0) ** 2 / 2`` when ``y[i] == 0``.

    Args:
        x0: Features, shape ``(N, K)``, floating dtype.
        x1: Features of ``x0``'s shape and dtype.
        y: Integer labels 1 (similar) or 0, shape ``(N,)``.
        margin: How far apart dissimilar pairs are pushed.
        reduce: ``'mean'`` for the sum over pairs divided by ``N``, ``'no'`` for
            the loss of each pair.

    Returns:
        A scalar variable, or one of shape ``(N,)`` with ``reduce='no'``.
    """
    if margin <= 0:
        raise ValueError(f'contrastive: expected a positive margin, received {margin}')
    check_reduce('contrastive', reduce)
    return Contrastive(margin, reduce).apply((x0, x1, y))[0]
