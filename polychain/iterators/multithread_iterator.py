"""MultithreadIterator: loads the examples of each batch in a pool of threads."""

from __future__ import annotations

import concurrent.futures
import functools
from collections.abc import Callable
from typing import Any

import numpy

from polychain.iterators.prefetch_iterator import PrefetchIterator, read_examples


class MultithreadIterator(PrefetchIterator):
    """Dataset iterator that loads examples in threads, one batch ahead.

    Useful when reading an example waits on files or the network. It gives the
    same batches as :class:`SerialIterator` for the same order.

    Args:
        dataset: The dataset.
        batch_size (int): Number of examples per batch.
        repeat (bool): Loop over the dataset forever.
        shuffle (bool): Shuffle each epoch (see :class:`SerialIterator`).
        n_threads (int): Number of threads.
        order_sampler (callable): Order of each epoch (see :class:`SerialIterator`).
    """

    def __init__(self, dataset: Any, batch_size: int, repeat: bool = True,
                 shuffle: bool | None = None, n_threads: int = 1,
                 order_sampler: Callable | None = None) -> None:
        self.n_threads = n_threads
        super().__init__(dataset, batch_size, repeat, shuffle, order_sampler,
                         n_workers=n_threads, n_prefetch=1, dataset_timeout=None)

    def _create_executor(self) -> concurrent.futures.Executor:
        return concurrent.futures.ThreadPoolExecutor(
            self.n_threads, thread_name_prefix='MultithreadIterator')

    def _submit_chunk(self, executor: concurrent.futures.Executor,
                      indices: numpy.ndarray) -> concurrent.futures.Future:
        return executor.submit(functools.partial(read_examples, self.dataset), indices)
