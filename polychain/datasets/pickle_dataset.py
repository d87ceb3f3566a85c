"""PickleDataset: examples pickled one after another in a file, read back by position."""

from __future__ import annotations

import os
import pickle
import threading
import weakref
from typing import IO, Any

from polychain.dataset.dataset_mixin import DatasetMixin


class PickleDatasetWriter:
    """Writes examples for :class:`PickleDataset`, one pickle each.

    Args:
        writer: A writable binary file object.
        protocol: The pickle protocol.
    """

    def __init__(self, writer: IO[bytes], protocol: int = pickle.HIGHEST_PROTOCOL) -> None:
        self._writer = writer
        self._protocol = protocol

    def write(self, x: Any) -> None:
        """Appends the example ``x``."""
        pickle.dump(x, self._writer, protocol=self._protocol)

    def flush(self) -> None:
        """Flushes the file object."""
        self._writer.flush()

    def close(self) -> None:
        """Closes the file object."""
        self._writer.close()

    def __enter__(self) -> PickleDatasetWriter:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


class PickleDataset(DatasetMixin):
    """The examples of a file written by :class:`PickleDatasetWriter`.

    The positions of the examples are found once, when the dataset is made;
    ``dataset[i]`` seeks and unpickles one example. Reads are serialised by a
    lock, and a reader with an ``after_fork`` method is told when the process
    forks (so that a child opens its own file handle).

    Args:
        reader: A readable, seekable binary file object.
    """

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._lock = threading.RLock()
        self._positions = self._index()
        _notify_after_fork(self)

    def _index(self) -> list[int]:
        reader = self._reader
        reader.seek(0, os.SEEK_END)
        end = reader.tell()
        reader.seek(0)
        positions = []
        while reader.tell() < end:
            positions.append(reader.tell())
            pickle.load(reader)
        return positions

    def __len__(self) -> int:
        return len(self._positions)

    def get_example(self, i: int) -> Any:
        with self._lock:
            self._reader.seek(self._positions[i])
            return pickle.load(self._reader)

    def close(self) -> None:
        """Closes the reader."""
        self._reader.close()

    def __enter__(self) -> PickleDataset:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state['_lock']
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()
        _notify_after_fork(self)

    def _after_fork(self) -> None:
        after_fork = getattr(self._reader, 'after_fork', None)
        if after_fork is not None:
            after_fork()


def _notify_after_fork(dataset: PickleDataset) -> None:
    """Calls ``dataset._after_fork`` in forked children while the dataset is alive."""
    if not hasattr(os, 'register_at_fork'):
        return
    ref = weakref.ref(dataset)

    def after_in_child() -> None:
        alive = ref()
        if alive is not None:
            alive._after_fork()

    os.register_at_fork(after_in_child=after_in_child)


class _FileReader:
    """A binary file opened by path that reopens itself after a fork and when unpickled."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fp = open(path, 'rb')  # noqa: SIM115 (closed by close())

    def read(self, size: int = -1) -> bytes:
        return self._fp.read(size)

    def readline(self, size: int = -1) -> bytes:
        return self._fp.readline(size)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._fp.seek(offset, whence)

    def tell(self) -> int:
        return self._fp.tell()

    def close(self) -> None:
        self._fp.close()

    def after_fork(self) -> None:
        """Replaces the handle shared with the parent by a new one."""
        self._fp.close()
        self._fp = open(self.path, 'rb')  # noqa: SIM115

    def __getstate__(self) -> dict[str, Any]:
        return {'path': self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state['path'])


def open_pickle_dataset(path: str) -> PickleDataset:
    """A :class:`PickleDataset` of the file ``path`` (a context manager that closes it)."""
    return PickleDataset(_FileReader(path))


def open_pickle_dataset_writer(path: str,
                               protocol: int = pickle.HIGHEST_PROTOCOL) -> PickleDatasetWriter:
    """A :class:`PickleDatasetWriter` to the file ``path`` (a context manager that closes it)."""
    return PickleDatasetWriter(open(path, 'wb'), protocol)  # noqa: SIM115
