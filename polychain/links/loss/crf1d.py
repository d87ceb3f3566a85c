"""CRF1d: the linear-chain CRF loss layer, holding its transition costs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain import initializers
from polychain.functions.array.transpose_sequence import transpose_sequence
from polychain.functions.loss import crf1d
from polychain.link import Link
from polychain.parameter import Parameter
from polychain.variable import Variable


def _longest_first(xs: Sequence[Any]) -> list[int]:
    """The order of ``xs`` by decreasing length (ties keep their order)."""
    return sorted(range(len(xs)), key=lambda i: -xs[i].shape[0])


class CRF1d(Link):
    """Linear-chain conditional random field loss layer (wraps :func:`~polychain.functions.crf1d`).

    Args:
        n_label: Number of labels.
        initial_cost: Initializer (or array) of the transition costs
            ``(n_label, n_label)``; zeros by default.

    Attributes:
        cost: The transition cost parameter.
    """

    def __init__(self, n_label: int, initial_cost: Any = None) -> None:
        super().__init__()
        if initial_cost is None:
            initial_cost = initializers.Zero()
        with self.init_scope():
            self.cost = Parameter(initializer=initial_cost, shape=(n_label, n_label))

    def forward(self, xs: Sequence[Any], ys: Sequence[Any], reduce: str = 'mean',
                transpose: bool = False) -> Variable:
        """The negative log-likelihood of the labelled sequences.

        Args:
            xs: Per position, the label costs ``(B_i, K)`` (as :func:`~polychain.functions.crf1d`
                takes them), or with ``transpose=True`` one ``(L_j, K)`` array per sequence.
            ys: The labels, laid out as ``xs``.
            reduce: ``'mean'`` or ``'no'``.
            transpose: Whether ``xs`` and ``ys`` hold one entry per sequence; they are
                sorted by decreasing length and transposed (with ``reduce='no'`` the
                losses come in that sorted order, as in Chainer).
        """
        if transpose:
            order = _longest_first(xs)
            xs = transpose_sequence([xs[i] for i in order])
            ys = transpose_sequence([ys[i] for i in order])
        return crf1d.crf1d(self.cost, xs, ys, reduce)

    def argmax(self, xs: Sequence[Any], transpose: bool = False) -> tuple[Variable, list[Any]]:
        """The best labelling of each sequence: ``(score, path)``.

        Args:
            xs: The label costs, laid out as in :meth:`forward`.
            transpose: Whether ``xs`` holds one entry per sequence; then ``path`` holds
                one label array per sequence, in the order of ``xs`` (``score`` stays in
                the order of decreasing length, as in Chainer).
        """
        if not transpose:
            return crf1d.argmax_crf1d(self.cost, xs)
        order = _longest_first(xs)
        score, path = crf1d.argmax_crf1d(self.cost, transpose_sequence([xs[i] for i in order]))
        per_sequence = [p.array for p in transpose_sequence(path)]
        restored: list[Any] = [None] * len(order)
        for position, index in enumerate(order):
            restored[index] = per_sequence[position]
        return score, restored
