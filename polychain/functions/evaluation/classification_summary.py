"""classification_summary and its parts: per-class precision, recall, F-score and support."""

from __future__ import annotations

from typing import Any

from polychain.backend import to_host
from polychain.functions.evaluation.without_gradient import (
    ScoresAndLabelsFunction,
    apply_without_gradient,
)
from polychain.functions.loss.labels import one_hot
from polychain.variable import Variable


class ClassificationSummary(ScoresAndLabelsFunction):
    """Per-class precision, recall, F-beta score and support of ``argmax(y, axis=1)``."""

    def __init__(self, label_num: int, beta: float, ignore_label: int) -> None:
        self.label_num = label_num
        self.beta = beta
        self.ignore_label = ignore_label

    def forward(self, inputs):
        xp = self.xp
        y, t = inputs
        labels = xp.reshape(t, (-1,))
        predicted = xp.reshape(xp.argmax(y, axis=1), (-1,))
        counted = xp.expand_dims(labels != self.ignore_label, axis=1)
        is_label = one_hot(xp, labels, self.label_num) & counted
        is_predicted = one_hot(xp, predicted, self.label_num) & counted
        support = xp.sum(xp.astype(is_label, t.dtype), axis=0, dtype=t.dtype)
        relevant = xp.sum(xp.astype(is_predicted, y.dtype), axis=0)
        true_positive = xp.sum(xp.astype(is_label & is_predicted, y.dtype), axis=0)
        precision = true_positive / relevant
        recall = true_positive / xp.astype(support, y.dtype)
        beta_square = self.beta * self.beta
        fbeta = (1 + beta_square) * precision * recall / (beta_square * precision + recall)
        return precision, recall, fbeta, support


def classification_summary(y: Any, t: Any, label_num: int | None = None, beta: float = 1.0,
                           ignore_label: int = -1) -> tuple[Variable, ...]:
    """Precision, recall, F-beta score and support of each class.

    The prediction is ``argmax(y, axis=1)``. Precision is ``tp / (tp + fp)``,
    recall ``tp / (tp + fn)``, the F-beta score their weighted harmonic mean
    and the support the number of samples of each true label. A class never
    predicted (or never present) gives a NaN precision (or recall), as 0 / 0.
    The function has no gradient.

    Args:
        y: Scores, shape ``(N, C, ...)``, floating dtype.
        t: Integer labels in ``[0, label_num)``, shape ``(N, ...)``.
        label_num: The number of classes; ``None`` takes ``max(t) + 1`` (which
            reads ``t`` on the host).
        beta: Weight of recall in the F-beta score.
        ignore_label: Samples with this label are left out.

    Returns:
        ``(precision, recall, fbeta, support)``, each of shape ``(label_num,)``;
        the first three in ``y``'s dtype, ``support`` in ``t``'s.
    """
    if label_num is None:
        labels = t.array if isinstance(t, Variable) else t
        label_num = int(to_host(labels).max()) + 1
    return apply_without_gradient(ClassificationSummary(label_num, beta, ignore_label), (y, t))


def _score_and_support(index: int, y: Any, t: Any, label_num: int | None,
                       ignore_label: int) -> tuple[Variable, Variable]:
    """Entry ``index`` of the F1 :func:`classification_summary`, with the support."""
    summary = classification_summary(y, t, label_num, 1.0, ignore_label)
    return summary[index], summary[3]


def precision(y: Any, t: Any, label_num: int | None = None,
              ignore_label: int = -1) -> tuple[Variable, Variable]:
    """Precision of each class and the support (see :func:`classification_summary`).

    Args:
        y: Scores, shape ``(N, C, ...)``.
        t: Integer labels, shape ``(N, ...)``.
        label_num: The number of classes, or ``None`` for ``max(t) + 1``.
        ignore_label: Samples with this label are left out.

    Returns:
        ``(precision, support)``.
    """
    return _score_and_support(0, y, t, label_num, ignore_label)


def recall(y: Any, t: Any, label_num: int | None = None,
           ignore_label: int = -1) -> tuple[Variable, Variable]:
    """Recall of each class and the support (see :func:`classification_summary`).

    Args:
        y: Scores, shape ``(N, C, ...)``.
        t: Integer labels, shape ``(N, ...)``.
        label_num: The number of classes, or ``None`` for ``max(t) + 1``.
        ignore_label: Samples with this label are left out.

    Returns:
        ``(recall, support)``.
    """
    return _score_and_support(1, y, t, label_num, ignore_label)


def f1_score(y: Any, t: Any, label_num: int | None = None,
             ignore_label: int = -1) -> tuple[Variable, Variable]:
    """F1 score of each class and the support (see :func:`classification_summary`).

    Args:
        y: Scores, shape ``(N, C, ...)``.
        t: Integer labels, shape ``(N, ...)``.
        label_num: The number of classes, or ``None`` for ``max(t) + 1``.
        ignore_label: Samples with this label are left out.

    Returns:
        ``(f1_score, support)``.
    """
    return _score_and_support(2, y, t, label_num, ignore_label)
