"""The position of an iterator, and the step that yields the indexes of the next batch.

Every built-in iterator advances through this one function, so they all
produce the same batches from the same order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy


class IteratorState(NamedTuple):
    """Where an iterator stands: position in the epoch, epoch count, and the epoch's order."""

    current_position: int
    epoch: int
    is_new_epoch: bool
    order: numpy.ndarray | None


def _positions(order: numpy.ndarray | None, start: int, stop: int) -> numpy.ndarray:
    if order is None:
        return numpy.arange(start, stop, dtype=numpy.intp)
    return numpy.asarray(order[start:stop], dtype=numpy.intp)


def advance(state: IteratorState, batch_size: int, repeat: bool,
            order_sampler: Callable[[numpy.ndarray, int], numpy.ndarray] | None,
            dataset_length: int) -> tuple[IteratorState, numpy.ndarray | None]:
    """The state after the next batch, and the dataset indexes of that batch.

    A batch that reaches the end of an epoch continues into the next one when
    ``repeat``, with the order the sampler draws; without ``repeat`` it stops
    there, and every later call returns ``(state, None)``.
    """
    position, epoch, _, order = state
    if not repeat and epoch > 0:
        return state, None
    epoch_size = dataset_length if order is None else len(order)
    if epoch_size == 0:
        if repeat:
            raise ValueError('iterator: a repeating iterator needs a non-empty dataset, '
                             'received one with 0 examples')
        return IteratorState(0, epoch + 1, True, order), None
    end = position + batch_size if repeat else min(position + batch_size, epoch_size)
    pieces = []
    is_new_epoch = False
    while end >= epoch_size:
        pieces.append(_positions(order, position, epoch_size))
        if order is not None:
            next_order = order_sampler(order, position)
            if len(next_order) != len(order):
                raise ValueError(f'iterator: the order sampler returned an order of length '
                                 f'{len(next_order)}, expected {len(order)}')
            order = next_order
        position = 0
        end = end - epoch_size if repeat else 0
        epoch += 1
        is_new_epoch = True
        if not repeat:
            break
    pieces.append(_positions(order, position, end))
    return IteratorState(end, epoch, is_new_epoch, order), numpy.concatenate(pieces)
