"""Image datasets: image files listed by path or packed in ZIP files, read with Pillow.

Images are returned as host arrays of shape ``(channels, height, width)``
(a grey image has one channel).
"""

from __future__ import annotations

import importlib.util
import io
import os
import threading
import zipfile
from collections.abc import Sequence
from typing import Any

import numpy

from polychain.configuration import config
from polychain.dataset.dataset_mixin import DatasetMixin

#: Whether Pillow, which reads the images, is installed.
available = importlib.util.find_spec('PIL') is not None


def _read_image(source: Any, dtype: Any) -> numpy.ndarray:
    """The image in ``source`` (a path or a binary file object) as a CHW array of ``dtype``."""
    if not available:
        raise RuntimeError('polychain.datasets.image_dataset needs Pillow to read images; '
                           'install it with `pip install pillow`')
    from PIL import Image
    with Image.open(source) as image:
        array = numpy.asarray(image, dtype=dtype)
    if array.ndim == 2:
        return array[numpy.newaxis]
    return array.transpose(2, 0, 1)


def _image_dtype(dtype: Any) -> numpy.dtype:
    return numpy.dtype(config.dtype if dtype is None else dtype)


def _read_list(path: str, columns: int, caller: str) -> list[list[str]]:
    """The rows of a whitespace-separated list file, each of ``columns`` fields."""
    rows = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            fields = line.strip().split()
            if not fields:
                continue
            if len(fields) != columns:
                raise ValueError(f'{caller}: line {number} of {path} has {len(fields)} fields, '
                                 f'expected {columns}')
            rows.append(fields)
    return rows


class ImageDataset(DatasetMixin):
    """The images of a list of files.

    Args:
        paths: A list of image paths, or the path of a text file listing one per line.
        root: The directory the listed paths are relative to.
        dtype: The image dtype (default ``config.dtype``).
    """

    def __init__(self, paths: str | Sequence[str], root: str = '.', dtype: Any = None) -> None:
        if isinstance(paths, str):
            paths = [fields[0] for fields in _read_list(paths, 1, 'ImageDataset')]
        self._paths = list(paths)
        self._root = root
        self._dtype = _image_dtype(dtype)

    def __len__(self) -> int:
        return len(self._paths)

    def get_example(self, i: int) -> numpy.ndarray:
        return _read_image(os.path.join(self._root, self._paths[i]), self._dtype)


class LabeledImageDataset(DatasetMixin):
    """Pairs of an image and its integer label.

    Args:
        pairs: A list of ``(path, label)``, or the path of a text file with
            ``path label`` on each line.
        root: The directory the paths are relative to.
        dtype: The image dtype (default ``config.dtype``).
        label_dtype: The label dtype.
    """

    def __init__(self, pairs: str | Sequence[tuple[str, int]], root: str = '.',
                 dtype: Any = None, label_dtype: Any = numpy.int32) -> None:
        if isinstance(pairs, str):
            pairs = [(path, int(label))
                     for path, label in _read_list(pairs, 2, 'LabeledImageDataset')]
        self._pairs = list(pairs)
        self._root = root
        self._dtype = _image_dtype(dtype)
        self._label_dtype = label_dtype

    def __len__(self) -> int:
        return len(self._pairs)

    def get_example(self, i: int) -> tuple[numpy.ndarray, numpy.ndarray]:
        path, label = self._pairs[i]
        image = _read_image(os.path.join(self._root, path), self._dtype)
        return image, numpy.array(label, dtype=self._label_dtype)


class _ZipFile:
    """A ZIP file opened lazily, per process; pickled by name."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._file: zipfile.ZipFile | None = None
        self._pid: int | None = None

    def names(self) -> list[str]:
        with zipfile.ZipFile(self._path) as f:
            return [name for name in f.namelist() if not name.endswith('/')]

    def read(self, name: str) -> bytes:
        with self._lock:
            if self._file is None or self._pid != os.getpid():
                self._file = zipfile.ZipFile(self._path)
                self._pid = os.getpid()
            return self._file.read(name)

    def __getstate__(self) -> dict[str, Any]:
        return {'path': self._path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state['path'])


class ZippedImageDataset(DatasetMixin):
    """The images packed in a ZIP file, in archive order.

    Args:
        zipfilename: The ZIP file.
        dtype: The image dtype (default ``config.dtype``).
    """

    def __init__(self, zipfilename: str, dtype: Any = None) -> None:
        self._zip = _ZipFile(zipfilename)
        self._names = self._zip.names()
        self._dtype = _image_dtype(dtype)

    def __len__(self) -> int:
        return len(self._names)

    def get_example(self, i_or_name: int | str) -> numpy.ndarray:
        name = i_or_name if isinstance(i_or_name, str) else self._names[i_or_name]
        return _read_image(io.BytesIO(self._zip.read(name)), self._dtype)


class MultiZippedImageDataset(DatasetMixin):
    """The images of several ZIP files, one after the other.

    Args:
        zipfilenames: The ZIP files.
        dtype: The image dtype (default ``config.dtype``).
    """

    def __init__(self, zipfilenames: Sequence[str], dtype: Any = None) -> None:
        self._datasets = [ZippedImageDataset(name, dtype) for name in zipfilenames]
        self._ends = numpy.cumsum([len(d) for d in self._datasets]).tolist()

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def get_example(self, i: int) -> numpy.ndarray:
        if i < 0:
            i += len(self)
        which = int(numpy.searchsorted(self._ends, i, side='right'))
        start = self._ends[which - 1] if which else 0
        return self._datasets[which].get_example(i - start)


class LabeledZippedImageDataset(DatasetMixin):
    """Pairs of an image in a ZIP file and its integer label.

    Args:
        zipfilename: The ZIP file.
        labelfilename: A text file with ``name label`` on each line (names in the ZIP file).
        dtype: The image dtype (default ``config.dtype``).
        label_dtype: The label dtype.
    """

    def __init__(self, zipfilename: str, labelfilename: str, dtype: Any = None,
                 label_dtype: Any = numpy.int32) -> None:
        self._images = ZippedImageDataset(zipfilename, dtype)
        self._pairs = [(name, int(label)) for name, label
                       in _read_list(labelfilename, 2, 'LabeledZippedImageDataset')]
        self._label_dtype = label_dtype

    def __len__(self) -> int:
        return len(self._pairs)

    def get_example(self, i: int) -> tuple[numpy.ndarray, numpy.ndarray]:
        name, label = self._pairs[i]
        return self._images.get_example(name), numpy.array(label, dtype=self._label_dtype)
