"""Snapshot writers: how a snapshot extension puts its file in the output directory."""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable
from typing import Any


def _default_savefun() -> Callable[..., None]:
    from polychain.serializers import save_npz
    return save_npz


class Writer:
    """Base class of snapshot writers.

    A snapshot extension calls ``writer(filename, outdir, target)`` each time
    it takes a snapshot; :meth:`save` writes into a temporary directory inside
    ``outdir`` (``'tmp'`` + the file name + a random suffix) and renames the
    file into place, so a crash never leaves a partial
    snapshot under the final name.
    """

    def __init__(self) -> None:
        self._post_save_hooks: list[Callable[[], None]] = []

    def __call__(self, filename: str, outdir: str, target: Any) -> None:
        """Writes ``target`` to ``outdir/filename``; subclasses implement it.

        Args:
            filename: The file name (already formatted).
            outdir: The output directory (the trainer's ``out``).
            target: The object to save (anything with a ``serialize`` method).
        """
        raise NotImplementedError(f'{type(self).__name__} must implement '
                                  f'__call__(filename, outdir, target)')

    def save(self, filename: str, outdir: str, target: Any, savefun: Callable[..., None],
             append_post_save_hook: bool = True, **kwds: Any) -> None:
        """Saves ``target`` with ``savefun(path, target, **kwds)``, atomically.

        Args:
            filename: The file name.
            outdir: The directory to write into (created when missing).
            target: The object to save.
            savefun: The save function, e.g. :func:`polychain.serializers.save_npz`.
            append_post_save_hook: Run the hooks registered to follow a save
                (e.g. removing old snapshots).
        """
        from polychain.serializers.atomic_file import saving_in
        os.makedirs(outdir, exist_ok=True)
        with saving_in(outdir):  # so that no one takes the temporary directory for a leftover
            temporary_dir = tempfile.mkdtemp(prefix='tmp' + filename, dir=outdir)
            try:
                temporary_path = os.path.join(temporary_dir, filename)
                savefun(temporary_path, target, **kwds)
                os.replace(temporary_path, os.path.join(outdir, filename))
            finally:
                shutil.rmtree(temporary_dir, ignore_errors=True)
        if append_post_save_hook:
            for hook in self._post_save_hooks:
                hook()

    def _add_cleanup_hook(self, hook: Callable[[], None]) -> None:
        """Registers ``hook`` to run after every completed save."""
        self._post_save_hooks.append(hook)

    def finalize(self) -> None:
        """Called at the end of training (nothing to release for synchronous writers)."""


class SimpleWriter(Writer):
    """Writes each snapshot synchronously, in the training loop.

    Args:
        savefun: The save function (default :func:`polychain.serializers.save_npz`).
        **kwds: Passed to ``savefun`` after the path and the target.
    """

    def __init__(self, savefun: Callable[..., None] | None = None, **kwds: Any) -> None:
        super().__init__()
        self._savefun = savefun if savefun is not None else _default_savefun()
        self._kwds = kwds

    def __call__(self, filename: str, outdir: str, target: Any) -> None:
        self.save(filename, outdir, target, self._savefun, True, **self._kwds)


class StandardWriter(Writer):
    """Writes each snapshot in a worker (see :meth:`create_worker`) started per snapshot.

    A new snapshot first waits for the previous worker; :meth:`finalize` waits
    for the last one. The target is saved while training goes on, so it
    should not change meanwhile (or be a copy).

    Args:
        savefun: The save function (default :func:`polychain.serializers.save_npz`).
        **kwds: Passed to ``savefun`` after the path and the target.
    """

    def __init__(self, savefun: Callable[..., None] | None = None, **kwds: Any) -> None:
        super().__init__()
        self._savefun = savefun if savefun is not None else _default_savefun()
        self._kwds = kwds
        self._worker: Any = None

    def __call__(self, filename: str, outdir: str, target: Any) -> None:
        self._join()
        self._worker = self.create_worker(filename, outdir, target, **self._kwds)
        self._worker.start()

    def create_worker(self, filename: str, outdir: str, target: Any, **kwds: Any) -> Any:
        """An unstarted worker (with ``start`` and ``join``) that saves ``target``."""
        raise NotImplementedError(f'{type(self).__name__} must implement create_worker')

    def _join(self) -> None:
        if self._worker is not None:
            self._worker.join()
            self._worker = None

    def finalize(self) -> None:
        """Waits for the last snapshot to be written."""
        self._join()


class ThreadWriter(StandardWriter):
    """A :class:`StandardWriter` saving in a thread."""

    def create_worker(self, filename: str, outdir: str, target: Any,
                      **kwds: Any) -> threading.Thread:
        return threading.Thread(target=self.save,
                                args=(filename, outdir, target, self._savefun), kwargs=kwds)


class ProcessWriter(StandardWriter):
    """A :class:`StandardWriter` saving in a child process (the target is copied to it)."""

    def create_worker(self, filename: str, outdir: str, target: Any,
                      **kwds: Any) -> multiprocessing.Process:
        return multiprocessing.Process(target=self.save,
                                       args=(filename, outdir, target, self._savefun),
                                       kwargs=kwds)


class QueueWriter(Writer):
    """Hands snapshots to one long-lived consumer through a queue; subclasses choose both.

    Each snapshot is queued as ``[task, filename, outdir, target]`` and the
    consumer calls ``task(filename, outdir, target)``; ``None`` stops it.

    Args:
        savefun: The save function (default :func:`polychain.serializers.save_npz`).
        task: The callable run per snapshot (default a :class:`SimpleWriter` of ``savefun``).
    """

    def __init__(self, savefun: Callable[..., None] | None = None,
                 task: Callable[..., None] | None = None) -> None:
        super().__init__()
        self._task = task if task is not None else SimpleWriter(savefun)
        self._queue = self.create_queue()
        self._consumer = self.create_consumer(self._queue)
        self._consumer.start()
        self._started = True

    def __call__(self, filename: str, outdir: str, target: Any) -> None:
        self._queue.put([self._task, filename, outdir, target])

    def create_queue(self) -> Any:
        """The queue (with ``put``, ``get``, ``task_done`` and ``join``)."""
        raise NotImplementedError(f'{type(self).__name__} must implement create_queue')

    def create_consumer(self, q: Any) -> Any:
        """An unstarted worker running :meth:`consume` on ``q``."""
        raise NotImplementedError(f'{type(self).__name__} must implement create_consumer')

    def consume(self, q: Any) -> None:
        """Runs queued snapshots until ``None`` arrives."""
        while True:
            task = q.get()
            if task is None:
                q.task_done()
                return
            task[0](task[1], task[2], task[3])
            q.task_done()

    def finalize(self) -> None:
        """Stops the consumer after the queued snapshots are written."""
        if self._started:
            self._queue.put(None)
            self._queue.join()
            self._consumer.join()
            self._started = False


class ThreadQueueWriter(QueueWriter):
    """A :class:`QueueWriter` whose consumer is a thread."""

    def create_queue(self) -> queue.Queue:
        return queue.Queue()

    def create_consumer(self, q: Any) -> threading.Thread:
        return threading.Thread(target=self.consume, args=(q,))


class ProcessQueueWriter(QueueWriter):
    """A :class:`QueueWriter` whose consumer is a child process."""

    def create_queue(self) -> Any:
        return multiprocessing.JoinableQueue()

    def create_consumer(self, q: Any) -> multiprocessing.Process:
        return multiprocessing.Process(target=self.consume, args=(q,))
