"""crf1d and argmax_crf1d: the linear-chain CRF's negative log-likelihood and its best paths.

A batch of sequences of different lengths comes transposed: ``xs[i]`` holds
position ``i`` of every sequence that is longer than ``i``, the sequences
sorted by decreasing length, so that the batch of each position is a prefix of
the batch of the position before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.functions.array.concat import concat, split_axis
from polychain.functions.array.pad import pad
from polychain.functions.array.reshape import expand_dims, reshape
from polychain.functions.array.select_item import select_item
from polychain.functions.connection.embed_id import embed_id
from polychain.functions.loss.input_checks import check_reduce
from polychain.functions.math.logsumexp import logsumexp
from polychain.functions.math.minmax import argmax
from polychain.functions.math.minmax import max as max_
from polychain.functions.math.sum import sum as sum_
from polychain.variable import Variable, as_variable


def _check_labels(cost: Any, xs: Sequence[Any]) -> None:
    if not xs:
        raise ValueError('crf1d: expected at least one position in xs, received none')
    if cost.ndim != 2 or cost.shape[0] != cost.shape[1] or xs[0].shape[1:] != cost.shape[:1]:
        raise ValueError(f'crf1d: expected cost of shape (K, K) and xs[i] of shape (B_i, K), '
                         f'received cost.shape == {cost.shape}, xs[0].shape == {xs[0].shape}')


def _drop_ended(state: Variable, batch: int, ended: list[Variable]) -> Variable:
    """The first ``batch`` rows of ``state``; the rows of sequences that ended go to ``ended``."""
    if state.shape[0] == batch:
        return state
    state, rest = split_axis(state, [batch], axis=0)
    ended.append(rest)
    return state


def _with_ended(state: Variable, ended: list[Variable]) -> Variable:
    """The rows of every sequence again, in batch order."""
    return concat([state] + ended[::-1], axis=0) if ended else state


def _log_partition(cost: Variable, xs: Sequence[Variable]) -> Variable:
    """``log Z`` of each sequence by the forward recursion in log space."""
    alpha = xs[0]
    ended: list[Variable] = []
    for x in xs[1:]:
        alpha = _drop_ended(alpha, x.shape[0], ended)
        alpha = logsumexp(expand_dims(alpha, 2) + cost, axis=1) + x
    return logsumexp(_with_ended(alpha, ended), axis=1)


def _path_score(cost: Variable, xs: Sequence[Variable], ys: Sequence[Any]) -> Variable:
    """The score of the labelled path of each sequence: its label costs and transitions."""
    n_batch = xs[0].shape[0]
    n_label = cost.shape[0]
    transitions = reshape(cost, (n_label * n_label, 1))
    total = select_item(xs[0], ys[0])
    for x, y, y_prev in zip(xs[1:], ys[1:], ys[:-1]):
        batch = x.shape[0]
        step = select_item(x, y) + reshape(
            embed_id(y_prev[:batch] * n_label + y, transitions), (batch,))
        total = total + (step if batch == n_batch else pad(step, (0, n_batch - batch),
                                                             'constant'))
    return total


def crf1d(cost: Any, xs: Sequence[Any], ys: Sequence[Any], reduce: str = 'mean') -> Variable:
    """Negative log-likelihood of a linear-chain CRF.

    With ``c[s, t]`` the cost of the transition from label ``s`` to ``t`` and
    ``x[i, t]`` the cost of label ``t`` at position ``i``, the loss of a
    sequence labelled ``y`` is ``-(sum_i x[i, y_i] + sum_i c[y_i, y_{i+1}] -
    log Z)``, ``Z`` summing ``exp`` of that score over every labelling.

    Args:
        cost: Transition costs, shape ``(K, K)``.
        xs: Per position, the label costs of the sequences that reach it,
            shape ``(B_i, K)``; sequences sorted by decreasing length, so that
            ``B_i`` does not grow.
        ys: Per position, the expected labels, integer arrays of shape ``(B_i,)``.
        reduce: ``'mean'`` for the sum of the losses divided by the batch size,
            ``'no'`` for the loss of each sequence, shape ``(B_0,)``.

    Returns:
        A scalar variable, or one of shape ``(B_0,)`` with ``reduce='no'``.
    """
    check_reduce('crf1d', reduce, ('mean', 'no'))
    cost = as_variable(cost)
    xs = [as_variable(x) for x in xs]
    ys = [y.array if isinstance(y, Variable) else y for y in ys]
    _check_labels(cost, xs)
    loss = _log_partition(cost, xs) - _path_score(cost, xs, ys)
    if reduce == 'mean':
        return sum_(loss) / xs[0].shape[0]
    return loss


def argmax_crf1d(cost: Any, xs: Sequence[Any]) -> tuple[Variable, list[Any]]:
    """The best labelling of each sequence of a linear-chain CRF (Viterbi).

    Args:
        cost: Transition costs, shape ``(K, K)``.
        xs: Per position, the label costs, shape ``(B_i, K)``, as in :func:`crf1d`.

    Returns:
        ``(score, path)``: ``score`` of shape ``(B_0,)`` is the score of the best
        labelling of each sequence, and ``path[i]`` is an integer array of shape
        ``(B_i,)`` holding its label at position ``i``.
    """
    cost = as_variable(cost)
    xs = [as_variable(x) for x in xs]
    _check_labels(cost, xs)
    best = xs[0]
    ended_at: list[Variable | None] = []
    backpointers = []
    for x in xs[1:]:
        ended: list[Variable] = []
        best = _drop_ended(best, x.shape[0], ended)
        ended_at.append(ended[0] if ended else None)
        candidates = expand_dims(best, 2) + cost
        backpointers.append(argmax(candidates, axis=1).array)
        best = max_(candidates, axis=1) + x
    labels = argmax(best, axis=1).array
    path = [labels]
    for pointers, ended_here in zip(backpointers[::-1], ended_at[::-1]):
        labels = select_item(pointers, labels).array
        if ended_here is not None:
            labels = concat([labels, argmax(ended_here, axis=1)], axis=0).array
        path.append(labels)
    path.reverse()
    finished = [e for e in ended_at if e is not None]
    score = max_(_with_ended(best, finished), axis=1)
    return score, path
