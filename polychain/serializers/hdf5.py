"""Serialization in HDF5 format (through h5py): the object hierarchy maps to HDF5 groups."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterable
from typing import Any

import numpy

from polychain.serializers.atomic_file import atomic_path
from polychain.serializers.serializer import (
    Deserializer,
    Serializer,
    check_declared,
    to_saved_value,
)


def _h5py_installed() -> bool:
    try:
        return importlib.util.find_spec('h5py') is not None
    except ValueError:  # sys.modules['h5py'] is None: h5py is blocked
        return False


#: Whether h5py is installed (found without importing it, which happens on first use).
_available = _h5py_installed()


def _import_h5py() -> Any:
    try:
        import h5py
    except ImportError as error:
        raise RuntimeError('polychain.serializers: the HDF5 serializers need h5py, which is '
                           "not installed; install it with `pip install 'polychain[hdf5]'` "
                           '(or `pip install h5py`)') from error
    return h5py


class HDF5Serializer(Serializer):
    """Serializer into an HDF5 group: sub-objects become sub-groups, values datasets.

    ``None`` is stored as an empty dataset, strings as UTF-8 string datasets.

    Args:
        group (h5py.Group): The group this serializer writes into.
        compression (int): Gzip compression level of datasets with more than
            one element.

    Raises:
        RuntimeError: h5py is not installed.
    """

    def __init__(self, group: Any, compression: int = 4) -> None:
        self._h5py = _import_h5py()
        self.group = group
        self.compression = compression

    def __getitem__(self, key: str) -> HDF5Serializer:
        return HDF5Serializer(self.group.require_group(key.strip('/')), self.compression)

    def __call__(self, key: str, value: Any) -> Any:
        key = key.lstrip('/')
        if value is None:
            if self._h5py.version.version_tuple < (2, 7, 0):
                raise RuntimeError(f'HDF5Serializer: saving None ({key!r}) needs h5py 2.7.0 or '
                                   f'newer (h5py.Empty), found {self._h5py.version.version}')
            self.group.create_dataset(key, data=self._h5py.Empty('f'))
            return value
        data = to_saved_value(value)
        if data.dtype.kind == 'U':
            data = data.astype(self._h5py.string_dtype())
        compression = None if data.size <= 1 else self.compression
        self.group.create_dataset(key, data=data, compression=compression)
        return value


class HDF5Deserializer(Deserializer):
    """Deserializer from an HDF5 group written by :class:`HDF5Serializer`.

    Args:
        group (h5py.Group): The group the deserialization starts from.
        strict (bool): If ``True``, a missing key raises :class:`KeyError`;
            otherwise the value is kept.
        path (str): The path of the sub-tree to load, relative to ``group``.
        ignore_names (str, callable or list of them): Full keys to skip.
        source (str): How error messages name what is read (by default the
            file name and the group).

    Raises:
        RuntimeError: h5py is not installed.
    """

    def __init__(self, group: Any, strict: bool = True, path: str = '',
                 ignore_names: str | Callable[[str], bool] | Iterable[Any] | None = None, *,
                 source: str | None = None) -> None:
        super().__init__(path, strict, ignore_names)
        self._h5py = _import_h5py()
        self.group = group
        self._root = group
        if source is None:
            source = repr(group.file.filename) + ('' if group.name == '/' else
                                                  f' (group {group.name!r})')
        self._source = source

    @property
    def source(self) -> str:
        return self._source

    def __getitem__(self, key: str) -> HDF5Deserializer:
        """The deserializer of the sub-group ``key`` (its ``group`` is ``None`` where absent)."""
        child = super().__getitem__(key)
        child.group = self._root.get(child.path.rstrip('/'))
        return child

    def _contains(self, key: str) -> bool:
        return self._resolve(self._root, key, 0) is not None

    def _resolve(self, group: Any, path: str, depth: int) -> Any:
        """The object at ``path`` under ``group`` (``None`` where absent), following soft links
        inside the file; an external link, or a chain of soft links over 16 long, is refused."""
        node = group.file if path.startswith('/') else group
        for name in filter(None, path.split('/')):
            link = node.get(name, getlink=True) if isinstance(node, self._h5py.Group) else None
            if link is None:
                return None
            if isinstance(link, self._h5py.SoftLink):
                if depth >= 16:
                    raise ValueError(f'HDF5Deserializer: the soft links at {path!r} in '
                                     f'{self.source} go on for more than 16 steps')
                node = self._resolve(node, link.path, depth + 1)
                if node is None:
                    return None
            elif isinstance(link, self._h5py.HardLink):
                node = node[name]
            else:
                raise ValueError(f'HDF5Deserializer: {path!r} in {self.source} is a '
                                 f'{type(link).__name__} to another file; links that leave the '
                                 f'file are refused')
        return node

    def _read(self, key: str, value: Any = None) -> numpy.ndarray | None:
        dataset = self._resolve(self._root, key, 0)
        if not isinstance(dataset, self._h5py.Dataset):
            raise ValueError(f'HDF5Deserializer: cannot read {key!r} from {self.source}: '
                             f'expected a dataset, found a {type(dataset).__name__}')
        if dataset.external or dataset.is_virtual:
            raise ValueError(f'HDF5Deserializer: {key!r} in {self.source} keeps its data in '
                             f'other files; data outside the file is refused')
        if dataset.shape is None:
            return None
        check_declared(dataset.shape, dataset.dtype, value, key, self.source)
        try:
            if self._h5py.check_string_dtype(dataset.dtype) is not None:
                return numpy.asarray(dataset.asstr()[()], dtype=str)
            return numpy.asarray(dataset[()])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ValueError(f'HDF5Deserializer: cannot read {key!r} from {self.source}: '
                             f'{error}') from error


def save_hdf5(filename: str | os.PathLike, obj: Any, compression: int = 4) -> None:
    """Saves ``obj`` to an HDF5 file, atomically.

    Arrays are copied to the host first, so the file loads on any backend.
    The file is written under a temporary name in the same directory and
    renamed over ``filename`` only once complete, so a failure leaves any
    previous file intact.

    Args:
        filename (str): The file to write.
        obj: The object to save: anything with a ``serialize`` method, or a
            dictionary of arrays, written as it is.
        compression (int): Gzip compression level.

    Raises:
        RuntimeError: h5py is not installed.
    """
    h5py = _import_h5py()
    with atomic_path(filename) as temporary:
        with h5py.File(temporary, 'w') as file:
            HDF5Serializer(file, compression).save(obj)


def load_hdf5(filename: str | os.PathLike, obj: Any, path: str = '', strict: bool = True,
              ignore_names: str | Callable[[str], bool] | Iterable[Any] | None = None) -> None:
    """Loads ``obj`` from an HDF5 file; arrays go to the devices of ``obj``'s current arrays.

    Loading is all-or-nothing (see :meth:`Deserializer.load`): if the file is
    unreadable, a key is missing or a shape differs, an error naming the
    file and the key is raised and ``obj`` is left as it was.

    Args:
        filename (str): The file to read.
        obj: The object to load into (anything with a ``serialize`` method).
        path (str): The path of the sub-tree to load.
        strict (bool): If ``True``, a missing key raises :class:`KeyError`;
            otherwise the value is kept.
        ignore_names (str, callable or list of them): Full keys to skip.

    Raises:
        RuntimeError: h5py is not installed.
        KeyError: A key is missing (with ``strict=True``).
        ValueError: The file is not a readable HDF5 file, an entry cannot be
            read, or a shape differs.
    """
    h5py = _import_h5py()
    name = repr(os.fspath(filename))
    try:
        file = h5py.File(filename, 'r')
    except (FileNotFoundError, PermissionError):
        raise
    except OSError as error:
        raise ValueError(f'load_hdf5: cannot read {name} as an HDF5 file: {error}') from error
    with file:
        HDF5Deserializer(file, strict=strict, path=path, ignore_names=ignore_names,
                         source=name).load(obj)
