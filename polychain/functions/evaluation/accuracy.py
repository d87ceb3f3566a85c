"""accuracy: the fraction of samples whose highest score is their label."""

from __future__ import annotations

from typing import Any

from polychain.functions.evaluation.without_gradient import (
    ScoresAndLabelsFunction,
    apply_without_gradient,
)
from polychain.variable import Variable


def fraction_correct(xp: Any, correct: Any, counted: Any, dtype: Any) -> Any:
    """The fraction of the ``counted`` entries that are ``correct`` (0 when none is counted).

    Args:
        xp: The array namespace.
        correct: Boolean array, true where the prediction is right.
        counted: Boolean array of the same shape, true where the entry counts.
        dtype: The floating dtype of the result.
    """
    hits = xp.sum(xp.astype(correct & counted, dtype))
    total = xp.sum(xp.astype(counted, dtype))
    return xp.where(total == 0, 0.0, hits / xp.maximum(total, 1.0))


class Accuracy(ScoresAndLabelsFunction):
    """Mean of ``argmax(y, axis=1) == t`` over the labels that are not ignored."""

    def __init__(self, ignore_label: int | None) -> None:
        self.ignore_label = ignore_label

    def forward(self, inputs):
        xp = self.xp
        y, t = inputs
        correct = xp.reshape(xp.argmax(y, axis=1), t.shape) == t
        if self.ignore_label is None:
            return xp.mean(xp.astype(correct, y.dtype)),
        return fraction_correct(xp, correct, t != self.ignore_label, y.dtype),


def accuracy(y: Any, t: Any, ignore_label: int | None = None) -> Variable:
    """Multiclass classification accuracy of a minibatch.

    The prediction of sample ``(i, k, ...)`` is ``argmax_j y[i, j, k, ...]``.
    The function has no gradient.

    Args:
        y: Scores, shape ``(N, C, ...)``, floating dtype.
        t: Integer labels, shape ``(N, ...)``.
        ignore_label: Samples with this label are left out; with no sample
            left the accuracy is 0. ``None`` counts every sample.

    Returns:
        A scalar variable of ``y``'s dtype.
    """
    return apply_without_gradient(Accuracy(ignore_label), (y, t))[0]
