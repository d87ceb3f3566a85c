"""Cases of connectionist_temporal_classification, against a sum over every alignment.

CTC has first-order gradients only (as in Chainer), so its cases claim no
double backprop.
"""

from __future__ import annotations

import itertools

import numpy

from polychain_conformance.spec import Arg, ArrayConstant, Case, Input


def _collapse(alignment: tuple[int, ...], blank_symbol: int) -> tuple[int, ...]:
    """The labels an alignment emits: repeats merged, then blanks removed."""
    merged = [label for i, label in enumerate(alignment) if i == 0 or label != alignment[i - 1]]
    return tuple(label for label in merged if label != blank_symbol)


def brute_force_ctc(x, t, blank_symbol, input_length=None, label_length=None, reduce='mean'):
    """The CTC loss by enumerating every alignment (for a few frames and labels only).

    Args mirror ``connectionist_temporal_classification``; ``x`` is a list of
    ``(B, V)`` host arrays. A sample no alignment can produce has an infinite loss.
    """
    scores = numpy.stack([numpy.asarray(frame, dtype=numpy.float64) for frame in x])
    probabilities = numpy.exp(scores - scores.max(axis=2, keepdims=True))
    probabilities /= probabilities.sum(axis=2, keepdims=True)
    n_time, n_batch, n_vocab = scores.shape
    t = numpy.asarray(t)
    input_length = [n_time] * n_batch if input_length is None else list(input_length)
    label_length = [t.shape[1]] * n_batch if label_length is None else list(label_length)
    losses = []
    for b in range(n_batch):
        frames = probabilities[:int(input_length[b]), b]
        target = tuple(int(label) for label in t[b, :int(label_length[b])])
        total = sum(numpy.prod(frames[numpy.arange(len(frames)), list(alignment)])
                    for alignment in itertools.product(range(n_vocab), repeat=len(frames))
                    if _collapse(alignment, blank_symbol) == target)
        with numpy.errstate(divide='ignore'):
            losses.append(-numpy.log(total))
    losses = numpy.asarray(losses)
    return losses.mean() if reduce == 'mean' else losses


_N_TIME = 4
_FRAMES = tuple(Input((2, 3), -2.0, 2.0) for _ in range(_N_TIME))
# Sample 1 repeats its label: a blank must separate the two.
_LABELS = ArrayConstant([[1, 2], [2, 2]], 'int32')
_LABELS_BLANK_LAST = ArrayConstant([[0, 1], [1, 1]], 'int32')

CASES: tuple[Case, ...] = (
    Case('connectionist_temporal_classification', _FRAMES + (_LABELS, Arg(0)), brute_force_ctc,
         pack_leading=_N_TIME, double_backprop=False, strided=True),
    Case('connectionist_temporal_classification', _FRAMES + (_LABELS_BLANK_LAST, Arg(2)),
         brute_force_ctc,
         name='connectionist_temporal_classification_lengths_no_reduce',
         kwargs={'input_length': ArrayConstant([3, 4], 'int32'),
                 'label_length': ArrayConstant([1, 2], 'int32'), 'reduce': 'no'},
         pack_leading=_N_TIME, double_backprop=False),
)
