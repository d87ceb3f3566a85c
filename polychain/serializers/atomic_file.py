"""Writing a file so that readers see the old content or the complete new one, never a part."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yields a temporary path next to ``path``; moves it onto ``path`` when the block succeeds.

    The temporary file lives in the same directory, so the final
    :func:`os.replace` is atomic; it is created with the permissions the umask
    gives a new file and flushed to disk before the rename. If the block
    raises, the temporary file is removed and ``path`` is left as it was.

    Args:
        path: The file to write.
    """
    path = os.fspath(path)
    directory, name = os.path.split(os.path.abspath(path))
    temporary = os.path.join(directory, f'.{name}.{uuid.uuid4().hex}.tmp')
    os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    try:
        yield temporary
        _flush_to_disk(temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


def _flush_to_disk(path: str) -> None:
    with open(path, 'rb+') as written:
        os.fsync(written.fileno())
