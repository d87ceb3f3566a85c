"""transpose_sequence: a batch of sequences to a sequence of batches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

from polychain.functions.array.concat import concat
from polychain.functions.array.get_item import get_item
from polychain.variable import Variable


def transpose_sequence(xs: Sequence[Any]) -> tuple[Variable, ...]:
    """Transposes a list of sequences sorted by decreasing length.

    ``ys[t]`` stacks the ``t``-th elements of the sequences that are longer
    than ``t``: ``ys[t][i] = xs[i][t]``.

    Args:
        xs: Variables or arrays of shapes ``(L_i, ...)`` with
            ``L_0 >= L_1 >= ...`` and equal trailing shapes.

    Returns:
        A tuple of ``L_0`` Variables, ``ys[t]`` of shape ``(B_t, ...)``.
    """
    xs = tuple(xs)
    if not xs:
        return ()
    lengths = [x.shape[0] for x in xs]
    if any(b > a for a, b in zip(lengths, lengths[1:])):
        raise ValueError(f'transpose_sequence: expected sequences sorted by decreasing length, '
                         f'received lengths {lengths}')
    starts = numpy.cumsum([0] + lengths[:-1])
    joined = concat(xs, axis=0)
    steps = []
    for t in range(lengths[0]):
        batch = sum(length > t for length in lengths)
        steps.append(get_item(joined, (starts[:batch] + t).astype(numpy.int64)))
    return tuple(steps)
