"""PrefetchIterator: loads the examples of upcoming batches in a pool of workers.

The batches are planned with the same state machine as SerialIterator's, so
for the same order they hold the same examples; a planned batch's examples
are split into one chunk per worker and loaded while earlier batches are
consumed.
"""

from __future__ import annotations

import collections
import concurrent.futures
import warnings
from collections.abc import Callable
from typing import Any

import numpy

from polychain.iterators.iterator_state import IteratorState, advance
from polychain.iterators.serial_iterator import SerialIterator


class TimeoutWarning(RuntimeWarning):
    """Loading one batch took longer than the iterator's ``dataset_timeout``."""


def read_examples(dataset: Any, indices: numpy.ndarray) -> list:
    """The examples of ``dataset`` at ``indices``, as a list."""
    return [dataset[index] for index in indices]


def _same_state(a: IteratorState, b: IteratorState) -> bool:
    if (a.current_position, a.epoch, a.is_new_epoch) != (b.current_position, b.epoch,
                                                          b.is_new_epoch):
        return False
    if a.order is None or b.order is None:
        return a.order is None and b.order is None
    return numpy.array_equal(a.order, b.order)


class PrefetchIterator(SerialIterator):
    """Base class of iterators that load examples in a pool of workers, ahead of time.

    Subclasses create the pool (:meth:`_create_executor`) and submit the
    loading of one chunk of indexes to it (:meth:`_submit_chunk`).

    Planning a batch ahead of time also draws the order of a new epoch ahead
    of time (up to ``n_prefetch`` batches earlier than SerialIterator would);
    the orders drawn are the same.

    Args:
        dataset: The dataset.
        batch_size (int): Number of examples per batch.
        repeat (bool): Loop over the dataset forever.
        shuffle (bool): Shuffle each epoch (see :class:`SerialIterator`).
        order_sampler (callable): Order of each epoch (see :class:`SerialIterator`).
        n_workers (int): Number of workers, and of chunks per batch.
        n_prefetch (int): Number of batches loaded ahead of the one being read.
        dataset_timeout (float): Warn with :class:`TimeoutWarning` when a
            batch takes longer than this many seconds; ``None`` never warns.
    """

    TimeoutWarning = TimeoutWarning

    def __init__(self, dataset: Any, batch_size: int, repeat: bool, shuffle: bool | None,
                 order_sampler: Callable | None, n_workers: int, n_prefetch: int,
                 dataset_timeout: float | None) -> None:
        caller = type(self).__name__
        if n_workers < 1:
            raise ValueError(f'{caller}: expected at least one worker, received {n_workers}')
        if n_prefetch < 0:
            raise ValueError(f'{caller}: expected n_prefetch >= 0, received {n_prefetch}')
        self._n_workers = n_workers
        self.n_prefetch = n_prefetch
        self.dataset_timeout = dataset_timeout
        self._executor: concurrent.futures.Executor | None = None
        self._pending: collections.deque = collections.deque()
        super().__init__(dataset, batch_size, repeat, shuffle, order_sampler)

    def _create_executor(self) -> concurrent.futures.Executor:
        """A new pool of ``self._n_workers`` workers."""
        raise NotImplementedError(f'{type(self).__name__}._create_executor: a PrefetchIterator '
                                  f'subclass must implement _create_executor')

    def _submit_chunk(self, executor: concurrent.futures.Executor,
                      indices: numpy.ndarray) -> concurrent.futures.Future:
        """Submits the loading of the examples at ``indices``; the future gives a list."""
        raise NotImplementedError(f'{type(self).__name__}._submit_chunk: a PrefetchIterator '
                                  f'subclass must implement _submit_chunk')

    def __next__(self) -> list:
        self._previous_epoch_detail = self.epoch_detail
        self._plan()
        state, futures = self._pending.popleft()
        self._state = state
        if futures is None:
            self._pending.appendleft((state, None))
            raise StopIteration
        self._plan()
        return self._gather(futures)

    next = __next__

    def _plan(self) -> None:
        """Plans and submits batches until ``n_prefetch + 1`` are pending or the data ends."""
        while len(self._pending) <= self.n_prefetch:
            if self._pending and self._pending[-1][1] is None:
                return
            planned = self._pending[-1][0] if self._pending else self._state
            state, indices = advance(planned, self.batch_size, self._repeat,
                                     self.order_sampler, len(self.dataset))
            self._pending.append((state, None if indices is None else self._submit(indices)))

    def _submit(self, indices: numpy.ndarray) -> list[concurrent.futures.Future]:
        if self._executor is None:
            self._executor = self._create_executor()
        chunks = numpy.array_split(indices, max(1, min(self._n_workers, len(indices))))
        return [self._submit_chunk(self._executor, chunk) for chunk in chunks]

    def _gather(self, futures: list[concurrent.futures.Future]) -> list:
        _, waiting = concurrent.futures.wait(futures, timeout=self.dataset_timeout)
        if waiting:
            warnings.warn(f'{type(self).__name__}: loading a batch took longer than '
                          f'dataset_timeout={self.dataset_timeout} seconds', TimeoutWarning,
                          stacklevel=3)
        return [example for future in futures for example in future.result()]

    def __copy__(self) -> PrefetchIterator:
        """A copy at the same position, with its own workers and nothing loaded ahead."""
        copied = object.__new__(type(self))
        copied.__dict__.update(self.__getstate__())
        return copied

    def __getstate__(self) -> dict[str, Any]:
        """The state without the workers and the batches loaded ahead (a pickled or copied
        iterator starts its own from the same position)."""
        state = self.__dict__.copy()
        state['_executor'] = None
        state['_pending'] = collections.deque()
        return state

    def _discard_pending(self) -> None:
        for _, futures in self._pending:
            for future in futures or ():
                future.cancel()
        self._pending.clear()

    def reset(self) -> None:
        self._discard_pending()
        super().reset()

    def _serialize_order_sampler(self, serializer: Any) -> None:
        """Leaves the sampler alone: prefetching has drawn orders ahead of the saved position,
        so its state would not match; a resumed run draws its next orders afresh."""

    def serialize(self, serializer: Any) -> None:
        state = self._state
        super().serialize(serializer)
        if not _same_state(state, self._state):
            self._discard_pending()

    def finalize(self) -> None:
        """Stops the workers; a later ``next()`` starts new ones."""
        self._discard_pending()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
