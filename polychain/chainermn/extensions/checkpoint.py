"""``create_multi_node_checkpointer``: per-rank snapshots that resume from the newest common one."""

from __future__ import annotations

import os
import shutil
import time
from typing import Any

from polychain import serializers, utils
from polychain.training import extension


class _CheckpointStats:
    """Durations of the snapshots taken."""

    def __init__(self) -> None:
        self.timings: list[dict[str, float]] = []
        self.begin: float | None = None

    def start(self) -> None:
        self.begin = time.time()

    def end(self) -> None:
        if self.begin is None:
            return
        end = time.time()
        self.timings.append({'b': self.begin, 'd': end - self.begin})
        self.begin = None

    def report(self) -> str:
        """A line with the mean, smallest and largest duration."""
        if not self.timings:
            return 'No stats available'
        durations = [t['d'] for t in self.timings]
        return (f'Snapshot duration stats (sec): avg={sum(durations) / len(durations):f}, '
                f'min={min(durations):f}, max={max(durations):f}')


class _MultiNodeCheckpointer(extension.Extension):
    """Saves each rank's snapshot as ``snapshot-<name>-<rank>.<iteration>`` and loads the
    newest iteration that every rank has.

    Every rank must call :meth:`save` (or the extension) at the same iterations.
    Every ``gc_interval`` snapshots, only the ``cp_interval`` newest ones common to
    all ranks are kept.
    """

    trigger = 1, 'epoch'
    priority = -100

    def __init__(self, name: str, comm: Any, cp_interval: int, gc_interval: int,
                 path: str | None) -> None:
        if not name:
            raise ValueError('create_multi_node_checkpointer: name must not be empty')
        if cp_interval <= 0 or gc_interval <= 0:
            raise ValueError(f'create_multi_node_checkpointer: cp_interval and gc_interval '
                             f'must be positive, got {cp_interval} and {gc_interval}')
        self.name = name
        self.comm = comm
        self.cp_interval = cp_interval
        self.gc_interval = gc_interval
        self.files: list[str] = []
        self.stats = _CheckpointStats()
        self.path = path
        if path is not None:
            os.makedirs(path, exist_ok=True)

    def __call__(self, trainer: Any) -> None:
        if self.path is None:
            self.path = trainer.out
        self.save(trainer, trainer.updater.iteration)

    def save(self, target: Any, iteration: int) -> None:
        """Saves ``target`` (usually the trainer) as this rank's snapshot of ``iteration``."""
        self.stats.start()
        os.makedirs(self.path, exist_ok=True)
        filename = self._filename(iteration)
        with utils.tempdir(prefix='tmp' + filename, dir=self.path) as tmpdir:
            tmpfile = os.path.join(tmpdir, filename)
            serializers.save_npz(tmpfile, target)
            shutil.move(tmpfile, os.path.join(self.path, filename))
        if filename not in self.files:  # a second save of an iteration replaces the first
            self.files.append(filename)
        if len(self.files) % self.gc_interval == 0:
            self._sync_file_list(remove_remainder=True)
        self.stats.end()

    def maybe_load(self, trainer: Any, optimizer: Any = None, path: str | None = None) -> None:
        """Loads the newest snapshot every rank has, if any (every rank calls this together).

        Args:
            trainer: What was saved (usually the trainer).
            optimizer: The multi-node optimizer of the run: after a load, its next
                update goes on from the loaded parameters (which are the same on
                every rank) instead of broadcasting rank 0's as a first update does.
            path: The folder of the snapshots when none was given at creation
                (the default is the trainer's ``out``).
        """
        if self.path is None:
            self.path = path if path is not None else trainer.out
        try:
            local_files = os.listdir(self.path)
        except OSError:
            local_files = []
        parsed = filter(None, map(self._parse_filename, local_files))
        self.files = self._filenames(
            i for name, rank, i in parsed if name == self.name and rank == self.comm.rank)
        self._sync_file_list()
        if self.files:
            serializers.load_npz(os.path.join(self.path, self.files[0]), trainer)
            if optimizer is not None and hasattr(optimizer, 'is_changed'):
                optimizer.is_changed(optimizer.target)  # records the loaded parameters

    def finalize(self) -> None:
        """Removes this rank's snapshots."""
        for filename in self.files:
            try:
                os.remove(os.path.join(self.path, filename))
            except OSError:
                pass
        self.files = []

    def get_stats(self) -> str:
        """How long the snapshots took (a line of text)."""
        return self.stats.report()

    def _sync_file_list(self, remove_remainder: bool = False) -> None:
        """Keeps the ``cp_interval`` newest iterations every rank has, newest first."""
        file_lists = self.comm.gather_obj(self.files, root=0)
        iterations = None
        if self.comm.rank == 0:
            common = None
            for files in file_lists:
                its = {i for _, _, i in filter(None, self._parse_filenames(files))}
                common = its if common is None else common & its
            iterations = sorted(common or (), reverse=True)[:self.cp_interval]
        iterations = self.comm.bcast_obj(iterations, root=0)
        files = self._filenames(iterations)
        if remove_remainder:
            for filename in set(self.files) - set(files):
                try:
                    os.remove(os.path.join(self.path, filename))
                except OSError:
                    pass
        self.files = files

    def _filenames(self, iterations: Any) -> list[str]:
        return [self._filename(i) for i in iterations]

    def _filename(self, iteration: int) -> str:
        return f'snapshot-{self.name}-{self.comm.rank}.{iteration}'

    def _parse_filenames(self, filenames: Any) -> list[tuple[str, int, int] | None]:
        return [self._parse_filename(f) for f in filenames]

    def _parse_filename(self, filename: str) -> tuple[str, int, int] | None:
        """``(name, rank, iteration)`` of a snapshot's file name; ``None`` for another file."""
        stem, dot, iteration = filename.rpartition('.')
        prefix, _, rest = stem.partition('-')
        name, _, rank = rest.rpartition('-')
        if not dot or prefix != 'snapshot' or not name:
            return None
        try:
            return name, int(rank), int(iteration)
        except ValueError:
            return None


def create_multi_node_checkpointer(name: str, comm: Any, cp_interval: int = 5,
                                   gc_interval: int = 5,
                                   path: str | None = None) -> _MultiNodeCheckpointer:
    """A trainer extension saving a snapshot per rank, and resuming from the newest one that
    every rank saved (:meth:`maybe_load`) after a failure.

    Args:
        name: Identifies the job in the file names.
        comm: A ChainerMN communicator.
        cp_interval: How many snapshots to keep.
        gc_interval: Every how many snapshots older ones are removed.
        path: The folder of the snapshots (default: the trainer's ``out``).
    """
    return _MultiNodeCheckpointer(name, comm, cp_interval, gc_interval, path)
