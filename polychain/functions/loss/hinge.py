"""hinge: the one-vs-all hinge loss of class scores."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.activation.relu import relu
from polychain.functions.array._index_range import check_index_range
from polychain.functions.loss.input_checks import check_reduce, expect_labels
from polychain.functions.loss.labels import one_hot
from polychain.functions.math.sum import reciprocal_count, scaled_sum
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


class Hinge(FunctionNode):
    """``max(0, 1 - s * x) ** p`` with ``s`` +1 at the label and -1 elsewhere."""

    _retain_input_indexes = (0,)

    def __init__(self, norm: str, reduce: str) -> None:
        self.norm = norm
        self.reduce = reduce

    def check_type_forward(self, in_types):
        x, t = in_types
        expect_labels(self.xp, x, t)
        if x.ndim != 2:
            raise InvalidType('x.ndim == 2', f'x.shape == {x.shape}')

    def forward(self, inputs):
        xp = self.xp
        x, t = inputs
        check_index_range(xp, t, x.shape[1], 'hinge', 'labels')
        # +1 for the other classes and -1 for the label: the margin is 1 + sign * x.
        self.sign = 1.0 - 2.0 * xp.astype(one_hot(xp, t, x.shape[1]), x.dtype)
        margin = xp.maximum(1.0 + self.sign * x, 0.0)
        loss = margin if self.norm == 'L1' else margin * margin
        if self.reduce == 'no':
            return loss,
        self.scale = reciprocal_count(tuple(x.shape), (0,))
        return scaled_sum(xp, loss, self.scale),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy = grad_outputs[0]
        if self.reduce == 'mean':
            gy = gy * self.scale
        if self.norm == 'L1':
            active = self.xp.astype(1.0 + self.sign * x.array > 0, x.dtype)
            return gy * (active * self.sign), None
        return gy * relu(x * self.sign + 1.0) * (2.0 * self.sign), None


def hinge(x: Any, t: Any, norm: str = 'L1', reduce: str = 'mean') -> Variable:
    """Hinge loss of multiclass scores against integer labels (one-vs-all).

    The loss of sample ``i`` and class ``j`` is ``max(0, 1 - s * x[i, j]) ** p``
    with ``s = 1`` for ``j == t[i]`` and ``-1`` elsewhere; ``p`` is 1 for
    ``'L1'`` and 2 for ``'L2'``.

    Args:
        x: Scores, shape ``(N, C)``, floating dtype.
        t: Integer labels in ``[0, C)``, shape ``(N,)``.
        norm: ``'L1'`` or ``'L2'``.
        reduce: ``'mean'`` for the sum of all losses divided by ``N``, ``'no'``
            for the loss of each sample and class, shape ``(N, C)``.

    Returns:
        A scalar variable, or one of shape ``(N, C)`` with ``reduce='no'``.
    """
    if norm not in ('L1', 'L2'):
        raise NotImplementedError(f"hinge: expected norm 'L1' or 'L2', received {norm!r}")
    check_reduce('hinge', reduce)
    return Hinge(norm, reduce).apply((x, t))[0]
