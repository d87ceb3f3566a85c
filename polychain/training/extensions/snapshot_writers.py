"""Snapshot writers: how a snapshot extension puts its file in the output directory."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any


def _default_savefun() -> Callable[..., None]:
    from polychain.serializers import save_npz
    return save_npz


class Writer:
    """Base class of snapshot writers.

    A snapshot extension calls ``writer(filename, outdir, target)`` each time
    it takes a snapshot; :meth:`save` writes into a temporary directory inside
    ``outdir`` and renames the file into place, so a crash never leaves a
    partial snapshot under the final name.
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
        os.makedirs(outdir, exist_ok=True)
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
