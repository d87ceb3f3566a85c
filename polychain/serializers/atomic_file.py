"""Writing a file so that readers see the old content or the complete new one, never a part."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import threading
import uuid
from collections.abc import Iterator
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, so leftovers of killed saves stay
    fcntl = None


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yields a temporary path next to ``path``; moves it onto ``path`` when the block succeeds.

    The temporary file lives in the same directory, so the final
    :func:`os.replace` is atomic; it is created with the permissions the umask
    gives a new file and flushed to disk before the rename. If the block
    raises, the temporary file is removed and ``path`` is left as it was.
    Leftover temporaries of ``path`` from saves that were killed midway are
    removed first (see :func:`remove_stale`). A Ctrl-C during the save takes
    effect once the file is written (see :func:`interrupts_deferred`).

    Args:
        path: The file to write.
    """
    path = os.fspath(path)
    directory, name = os.path.split(os.path.abspath(path))
    remove_stale(directory, re.compile(re.escape(f'.{name}.') + r'[0-9a-f]{32}\.tmp'))
    temporary = os.path.join(directory, f'.{name}.{uuid.uuid4().hex}.tmp')
    with interrupts_deferred(), saving_in(directory):
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        try:
            yield temporary
            _flush_to_disk(temporary)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.remove(temporary)
            raise


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Holds back a first Ctrl-C (SIGINT) until the block ends, then raises
    :class:`KeyboardInterrupt`; a second Ctrl-C interrupts at once.

    A save interrupted at an unlucky moment can fail with another error than
    :class:`KeyboardInterrupt` (:mod:`zipfile` refuses to close an archive with
    an entry half open), which hides the interruption from the caller. Only
    Python's default handler in the main thread is replaced; elsewhere, and
    in a block nested in another, the block runs as it is.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield
        return
    received: list[int] = []

    def hold_back(signum: int, frame: Any) -> None:
        if received:
            raise KeyboardInterrupt
        received.append(signum)

    signal.signal(signal.SIGINT, hold_back)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if received:
        raise KeyboardInterrupt


@contextlib.contextmanager
def saving_in(directory: str) -> Iterator[None]:
    """Marks a save that writes temporaries in ``directory`` as under way (a shared lock).

    While any process holds it, :func:`remove_stale` removes nothing there; a
    killed process holds nothing, so what it left becomes removable.
    """
    lock = _lock(directory, fcntl.LOCK_SH) if fcntl is not None else None
    try:
        yield
    finally:
        if lock is not None:
            os.close(lock)


def remove_stale(directory: str, pattern: re.Pattern[str]) -> None:
    """Removes the files and directories of ``directory`` named (in full) by ``pattern``,
    when no save is under way there (see :func:`saving_in`): they were left by killed saves.

    Nothing is removed where advisory locks are not supported.
    """
    if fcntl is None:
        return
    lock = _lock(directory, fcntl.LOCK_EX | fcntl.LOCK_NB)
    if lock is None:
        return
    try:
        for name in os.listdir(directory):
            path = os.path.join(directory, name)
            if pattern.fullmatch(name):
                with contextlib.suppress(OSError):
                    if os.path.isdir(path) and not os.path.islink(path):
                        shutil.rmtree(path)
                    else:
                        os.remove(path)
    finally:
        os.close(lock)


def _lock(directory: str, operation: int) -> int | None:
    """A descriptor of ``directory`` holding the lock ``operation``, or ``None`` if it failed."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, operation)
    except OSError:
        os.close(fd)
        return None
    return fd


def _flush_to_disk(path: str) -> None:
    with open(path, 'rb+') as written:
        os.fsync(written.fileno())
