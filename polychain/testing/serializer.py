"""Round trips through a serializer: ``save_and_load``, ``save_and_load_npz`` and
``save_and_load_hdf5``."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import Any


def save_and_load(src: Any, dst: Any, filename: str, saver: Callable[[str, Any], None],
                  loader: Callable[[str, Any], None]) -> None:
    """Saves ``src`` to ``filename`` with ``saver``, then loads that file into ``dst``.

    Args:
        src: The object to save (anything with ``serialize``).
        dst: The object to load into.
        filename: The file to write.
        saver: ``saver(filename, obj)``, e.g. :func:`~polychain.serializers.save_npz`.
        loader: ``loader(filename, obj)``, e.g. :func:`~polychain.serializers.load_npz`.
    """
    saver(filename, src)
    loader(filename, dst)


def _round_trip_in_temporary_file(src: Any, dst: Any, suffix: str, saver: Callable[..., None],
                                  loader: Callable[..., None]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        save_and_load(src, dst, os.path.join(directory, f'saved{suffix}'), saver, loader)


def save_and_load_npz(src: Any, dst: Any) -> None:
    """Copies the state of ``src`` into ``dst`` through a temporary NPZ file."""
    from polychain import serializers
    _round_trip_in_temporary_file(src, dst, '.npz', serializers.save_npz, serializers.load_npz)


def save_and_load_hdf5(src: Any, dst: Any) -> None:
    """Copies the state of ``src`` into ``dst`` through a temporary HDF5 file (needs h5py)."""
    from polychain import serializers
    _round_trip_in_temporary_file(src, dst, '.h5', serializers.save_hdf5, serializers.load_hdf5)
