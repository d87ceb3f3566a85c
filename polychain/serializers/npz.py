"""Serialization in NumPy's NPZ format: a flat dictionary of host arrays keyed by path."""

from __future__ import annotations

import math
import os
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

import numpy
from numpy.lib import format as npy_format
from numpy.lib.npyio import NpzFile

from polychain.serializers.atomic_file import atomic_path
from polychain.serializers.serializer import (
    Deserializer,
    Serializer,
    check_declared,
    to_saved_value,
)

_READ_ERRORS = (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error)


class DictionarySerializer(Serializer):
    """Serializer into a flat dictionary of host arrays, keyed by path (``'l1/W'``).

    The dictionary can be passed to :func:`numpy.savez`; :func:`save_npz`
    does that. ``None`` is stored as a 0-d object array holding ``None``.

    Args:
        target (dict): The dictionary to fill; a new one when ``None``.
        path (str): The path of the sub-object this serializer stands for.

    Attributes:
        target (dict): The filled dictionary.
    """

    def __init__(self, target: dict[str, numpy.ndarray] | None = None, path: str = '') -> None:
        self.target = {} if target is None else target
        self.path = path

    def __call__(self, key: str, value: Any) -> Any:
        self.target[self.full_key(key)] = to_saved_value(value)
        return value


class NpzDeserializer(Deserializer):
    """Deserializer from an NPZ file opened with :func:`numpy.load`, or from a dictionary.

    Entries that hold Python objects are never unpickled: a 0-d one is read
    as the ``None`` that serializers store, anything else is an error.

    Args:
        npz: A :class:`numpy.lib.npyio.NpzFile` or a mapping from keys to arrays
            (such as :attr:`DictionarySerializer.target`).
        path (str): The path of the sub-tree to load, e.g. ``'updater/model:main/'``.
        strict (bool): If ``True``, a missing key raises :class:`KeyError`;
            otherwise the value is kept.
        ignore_names (str, callable or list of them): Full keys to skip.
        source (str): How error messages name what is read (by default the
            name of the file ``npz`` was opened from, when it has one).
    """

    def __init__(self, npz: NpzFile | Mapping[str, Any], path: str = '', strict: bool = True,
                 ignore_names: str | Callable[[str], bool] | Iterable[Any] | None = None, *,
                 source: str | None = None) -> None:
        super().__init__(path, strict, ignore_names)
        self.npz = npz
        fid = getattr(npz, 'fid', None)
        if source is None:
            source = _describe(fid) if fid is not None else f'the {type(npz).__name__} given'
        self._source = source

    @property
    def source(self) -> str:
        return self._source

    def _contains(self, key: str) -> bool:
        return key in self.npz

    def _read(self, key: str, value: Any = None) -> numpy.ndarray | None:
        if isinstance(self.npz, NpzFile):
            shape, dtype = self._declared(key)
            if dtype.hasobject and shape == ():
                return None  # how None is saved; never unpickled
            check_declared(shape, dtype, value, key, self.source)
        try:
            loaded = numpy.asarray(self.npz[key])
        except _READ_ERRORS as error:
            raise ValueError(f'NpzDeserializer: cannot read {key!r} from {self.source}: '
                             f'{error}') from error
        if loaded.dtype.hasobject:
            if loaded.shape == () and loaded[()] is None:
                return None
            raise ValueError(f'NpzDeserializer: {key!r} in {self.source} holds Python objects; '
                             f'expected numbers, strings or None')
        return loaded


    def _declared(self, key: str) -> tuple[tuple[int, ...], numpy.dtype]:
        """The shape and dtype that the member ``key`` declares in its header, checked against
        the member's uncompressed size, so that no entry is allocated before it is checked."""
        zip_file = self.npz.zip
        name = key + '.npy' if key + '.npy' in zip_file.NameToInfo else key
        try:
            size = zip_file.getinfo(name).file_size
            with zip_file.open(name) as member:
                read_header = _HEADER_READERS.get(npy_format.read_magic(member))
                if read_header is None:
                    raise ValueError('not a .npy entry of version 1.0 or 2.0')
                shape, _, dtype = read_header(member)
                header_size = member.tell()
        except _READ_ERRORS + (KeyError,) as error:
            raise ValueError(f'NpzDeserializer: cannot read {key!r} from {self.source}: '
                             f'{error}') from error
        if not dtype.hasobject and header_size + math.prod(shape) * dtype.itemsize != size:
            raise ValueError(f'NpzDeserializer: cannot read {key!r} from {self.source}: it '
                             f'declares shape {shape} of dtype {dtype} '
                             f'({math.prod(shape) * dtype.itemsize} bytes) but holds '
                             f'{size - header_size} bytes of data')
        return shape, dtype


def _describe(file: Any) -> str:
    """How error messages name ``file``: a path or a file object's name, quoted."""
    if isinstance(file, (str, os.PathLike)):
        return repr(os.fspath(file))
    name = getattr(file, 'name', None)
    return repr(name) if isinstance(name, str) else repr(file)


_HEADER_READERS = {(1, 0): npy_format.read_array_header_1_0,
                   (2, 0): npy_format.read_array_header_2_0}


def serialize(obj: Any) -> dict[str, numpy.ndarray]:
    """The flat dictionary of host arrays that :func:`save_npz` would write for ``obj``.

    Args:
        obj: The object to serialize (anything with a ``serialize`` method).
    """
    serializer = DictionarySerializer()
    serializer.save(obj)
    return serializer.target


def save_npz(file: str | os.PathLike | IO[bytes], obj: Any, compression: bool = True) -> None:
    """Saves ``obj`` in NPZ format.

    Arrays are copied to the host first, so the file loads on any backend. A
    file named by a path is written atomically: to a temporary file in the
    same directory, renamed over ``file`` only once complete, so a failure
    leaves any previous file intact.

    Args:
        file: A file name or a writable binary file object.
        obj: The object to save: anything with a ``serialize`` method, or a
            dictionary of arrays, written as it is.
        compression (bool): Compress the arrays (:func:`numpy.savez_compressed`)
            or not (:func:`numpy.savez`).
    """
    target = serialize(obj)
    write = numpy.savez_compressed if compression else numpy.savez
    if isinstance(file, (str, os.PathLike)):
        with atomic_path(file) as temporary, open(temporary, 'wb') as stream:
            write(stream, **target)
    else:
        write(file, **target)


def load_npz(file: str | os.PathLike | IO[bytes], obj: Any, path: str = '', strict: bool = True,
             ignore_names: str | Callable[[str], bool] | Iterable[Any] | None = None) -> None:
    """Loads ``obj`` from an NPZ file; arrays go to the devices of ``obj``'s current arrays.

    Loading is all-or-nothing (see :meth:`Deserializer.load`): if the file is
    unreadable, a key is missing or a shape differs, an error naming the
    file and the key is raised and ``obj`` is left as it was.

    Args:
        file: A file name or a readable binary file object.
        obj: The object to load into (anything with a ``serialize`` method).
        path (str): The path of the sub-tree to load, e.g.
            ``'updater/model:main/'`` to load a model from a trainer snapshot.
        strict (bool): If ``True``, a missing key raises :class:`KeyError`;
            otherwise the value is kept.
        ignore_names (str, callable or list of them): Full keys to skip: a
            string matches a key exactly, a callable is asked ``ignore(key)``.

    Raises:
        KeyError: A key is missing (with ``strict=True``).
        ValueError: The file is not a readable NPZ file, an entry cannot be
            read, or a shape differs.
    """
    name = _describe(file)
    stream = open(file, 'rb') if isinstance(file, (str, os.PathLike)) else file
    try:
        try:
            npz = NpzFile(stream, own_fid=False, allow_pickle=False)
        except _READ_ERRORS as error:
            raise ValueError(f'load_npz: cannot read {name} as an NPZ file: {error}') from error
        with npz:
            NpzDeserializer(npz, path=path, strict=strict, ignore_names=ignore_names,
                            source=name).load(obj)
    finally:
        if stream is not file:
            stream.close()
