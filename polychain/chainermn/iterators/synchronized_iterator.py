"""``create_synchronized_iterator``: iterators on every rank drawing the same orders."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.dataset.iterator import Iterator
from polychain.iterators import ShuffleOrderSampler


class _SynchronizedIterator(Iterator):
    """``actual_iterator`` with a shuffle sampler seeded alike on all ranks."""

    def __init__(self, actual_iterator: Any, communicator: Any) -> None:
        if not hasattr(actual_iterator, 'order_sampler'):
            raise ValueError('actual_iterator must have order_sampler')
        object.__setattr__(self, 'actual_iterator', actual_iterator)
        seed = numpy.random.randint(0, 2**32 - 1) if communicator.rank == 0 else None
        seed = communicator.bcast_obj(seed, root=0)
        actual_iterator.order_sampler = ShuffleOrderSampler(numpy.random.RandomState(seed))
        actual_iterator.reset()

    def __next__(self) -> Any:
        return self.actual_iterator.__next__()

    next = __next__

    def __getattr__(self, name: str) -> Any:
        return getattr(self.actual_iterator, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.actual_iterator, name, value)

    def serialize(self, serializer: Any) -> None:
        self.actual_iterator.serialize(serializer)


def create_synchronized_iterator(actual_iterator: Any, communicator: Any) -> Iterator:
    """``actual_iterator`` (with an ``order_sampler``) made to draw, on every rank, the same
    shuffled orders: a shuffle sampler seeded from rank 0 replaces its own."""
    return _SynchronizedIterator(actual_iterator, communicator)
