"""MultiprocessIterator: loads the examples of upcoming batches in worker processes."""

from __future__ import annotations

import ast
import concurrent.futures
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import numpy

from polychain.iterators.prefetch_iterator import PrefetchIterator, read_examples

_worker_dataset: Any = None


def _install_worker_dataset(dataset: Any) -> None:
    """Runs once in each worker process: keeps the dataset for the tasks that follow."""
    global _worker_dataset
    _worker_dataset = dataset


def _read_worker_examples(indices: numpy.ndarray) -> list:
    return read_examples(_worker_dataset, indices)


def default_start_method() -> str:
    """``'forkserver'`` where available, else ``'spawn'``; ``'fork'`` for an unguarded script.

    Workers are not forked from the main process, which may run threads (JAX
    and CUDA do) that a plain ``fork`` could leave deadlocked. But a fork
    server or spawned worker runs the main script again, so a script that
    trains at its top level, without ``if __name__ == '__main__':`` (as some
    of Chainer's examples do), gets forked workers, as Chainer's always are.
    """
    methods = multiprocessing.get_all_start_methods()
    if 'fork' in methods and not _main_script_is_guarded():
        return 'fork'
    return 'forkserver' if 'forkserver' in methods else 'spawn'


def _main_script_is_guarded() -> bool:
    """Whether running the main module again in a worker runs only its definitions.

    True when there is no main script (an interactive session) or it is not
    readable Python; otherwise whether its top level has an
    ``if __name__ == '__main__':`` block.
    """
    main = sys.modules.get('__main__')
    path = getattr(main, '__file__', None)
    if path is None:
        return True
    try:
        with open(path, 'rb') as source:
            module = ast.parse(source.read())
    except (OSError, SyntaxError, ValueError):
        return True
    return any(isinstance(node, ast.If) and _tests_main_name(node.test) for node in module.body)


def _tests_main_name(test: ast.expr) -> bool:
    """Whether ``test`` is ``__name__ == '__main__'`` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(side, ast.Name) and side.id == '__name__' for side in sides) and \
        any(isinstance(side, ast.Constant) and side.value == '__main__' for side in sides)


def _context(start_method: str) -> multiprocessing.context.BaseContext:
    """The context of ``start_method``; a fork server imports polychain once for every worker."""
    context = multiprocessing.get_context(start_method)
    if start_method == 'forkserver':
        context.set_forkserver_preload(['__main__', 'polychain'])
    return context


class MultiprocessIterator(PrefetchIterator):
    """Dataset iterator that loads examples in worker processes, batches ahead.

    Each batch is split into one chunk per process. It gives the same batches
    as :class:`SerialIterator` for the same order. Each worker receives a
    pickled copy of the dataset when it starts (with the default start
    method); a dataset that cannot be pickled (a transform that is a lambda or
    a local function, as in Chainer's examples) makes the workers fork from
    this process instead, as Chainer's do, unless ``start_method`` was given.

    Args:
        dataset: The dataset.
        batch_size (int): Number of examples per batch.
        repeat (bool): Loop over the dataset forever.
        shuffle (bool): Shuffle each epoch (see :class:`SerialIterator`).
        n_processes (int): Number of worker processes (default: the CPU count).
        n_prefetch (int): Number of batches loaded ahead of the one being read.
        shared_mem (int): Accepted for compatibility; examples come back from
            the workers pickled, whatever their size, so it has no effect.
        order_sampler (callable): Order of each epoch (see :class:`SerialIterator`).
        dataset_timeout (float): Warn with :attr:`TimeoutWarning` when a batch
            takes longer than this many seconds; ``None`` never warns.
        maxtasksperchild (int): Replace a worker after this many chunks.
        start_method (str): ``'forkserver'``, ``'spawn'`` or ``'fork'``
            (default: :func:`default_start_method`, which forks for a main
            script without a ``__main__`` guard, or ``'fork'`` for a dataset
            that cannot be pickled).
    """

    def __init__(self, dataset: Any, batch_size: int, repeat: bool = True,
                 shuffle: bool | None = None, n_processes: int | None = None,
                 n_prefetch: int = 1, shared_mem: int | None = None,
                 order_sampler: Callable | None = None, dataset_timeout: float | None = 30.0,
                 maxtasksperchild: int | None = None, *, start_method: str | None = None) -> None:
        self.n_processes = n_processes or os.cpu_count() or 1
        self.shared_mem = shared_mem
        self.maxtasksperchild = maxtasksperchild
        self.start_method = start_method or default_start_method()
        self._may_fork = start_method is None and 'fork' in multiprocessing.get_all_start_methods()
        self._finalized = False
        super().__init__(dataset, batch_size, repeat, shuffle, order_sampler,
                         n_workers=self.n_processes, n_prefetch=n_prefetch,
                         dataset_timeout=dataset_timeout)

    def reset(self) -> None:
        """Starts over from the first epoch.

        Raises:
            NotImplementedError: The iterator was finalized (as in Chainer).
        """
        if self._finalized:
            raise NotImplementedError('MultiprocessIterator.reset: the iterator was finalized; '
                                      'create a new one')
        super().reset()

    def finalize(self) -> None:
        """Stops the worker processes; the iterator cannot be reset afterwards."""
        super().finalize()
        self._finalized = True

    def _create_executor(self) -> concurrent.futures.Executor:
        if self.maxtasksperchild is None:
            return self._process_pool(self.n_processes)
        return _RecyclingPool(self.n_processes, self.maxtasksperchild,
                              lambda: self._process_pool(1))

    def _process_pool(self, n_processes: int) -> concurrent.futures.ProcessPoolExecutor:
        return concurrent.futures.ProcessPoolExecutor(
            n_processes, mp_context=_context(self.start_method),
            initializer=_install_worker_dataset, initargs=(self.dataset,))

    def _submit_chunk(self, executor: concurrent.futures.Executor,
                      indices: numpy.ndarray) -> concurrent.futures.Future:
        try:
            return executor.submit(_read_worker_examples, indices)
        except (pickle.PicklingError, AttributeError, TypeError) as error:
            if self._may_fork and self.start_method != 'fork':
                executor.shutdown(wait=False, cancel_futures=True)
                self.start_method = 'fork'
                self._executor = self._create_executor()
                return self._executor.submit(_read_worker_examples, indices)
            self.finalize()
            raise RuntimeError(
                f'MultiprocessIterator: could not start worker processes with start_method='
                f'{self.start_method!r} ({error}); the dataset must be picklable (no lambdas or '
                f'local functions), or pass start_method="fork"') from error

    def _gather(self, futures: list[concurrent.futures.Future]) -> list:
        try:
            return super()._gather(futures)
        except BrokenProcessPool as error:
            self.finalize()
            raise RuntimeError(
                f'MultiprocessIterator: a worker process died ({error}). With start_method='
                f'{self.start_method!r} each worker imports the main module again: a script '
                f'must keep its training code under "if __name__ == \'__main__\':", or pass '
                f'start_method="fork"') from error


class _RecyclingPool(concurrent.futures.Executor):
    """Worker processes that are each replaced by a new one after ``max_tasks`` tasks.

    ``ProcessPoolExecutor(max_tasks_per_child=...)`` can stop for good on Python
    3.11 to 3.13 (CPython issue 115634): a worker that exits at its limit is
    not always replaced, and the tasks queued behind it never run. Here each
    worker is a pool of one process, given tasks in turn; after ``max_tasks``
    tasks it is shut down (it finishes them first) and a new one takes its place.
    """

    def __init__(self, n_processes: int, max_tasks: int,
                 new_worker: Callable[[], concurrent.futures.Executor]) -> None:
        if max_tasks < 1:
            raise ValueError(f'MultiprocessIterator: expected maxtasksperchild >= 1, received '
                             f'{max_tasks}')
        self._new_worker = new_worker
        self._max_tasks = max_tasks
        self._workers = [new_worker() for _ in range(n_processes)]
        self._task_counts = [0] * n_processes
        self._turn = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any,
               **kwargs: Any) -> concurrent.futures.Future:
        turn = self._turn
        self._turn = (turn + 1) % len(self._workers)
        if self._task_counts[turn] == self._max_tasks:
            self._workers[turn].shutdown(wait=False)
            self._workers[turn] = self._new_worker()
            self._task_counts[turn] = 0
        self._task_counts[turn] += 1
        return self._workers[turn].submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        for worker in self._workers:
            worker.shutdown(wait=wait, cancel_futures=cancel_futures)
