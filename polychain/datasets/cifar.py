"""CIFAR-10 and CIFAR-100: 32x32 colour images, downloaded once and cached as NPZ.

The Python version of each archive is downloaded from the authors' site into
``<root>/_dl_cache``; its batches are converted once into
``<root>/pfnet/chainer/cifar/cifar-10.npz`` (``cifar-100.npz``), the layout of
Chainer's cache.
"""

from __future__ import annotations

import os
import pickle
import tarfile
from typing import Any

import numpy

from polychain.configuration import config
from polychain.dataset import download
from polychain.datasets.tuple_dataset import TupleDataset

_URLS = {
    10: 'https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz',
    100: 'https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz',
}
_CHECKSUMS = {
    10: 'md5:c58f30108f718f92721af3b95e74349a',
    100: 'md5:eb9058c3a382ffc7106e4002c42a8d85',
}
#: Archive members of the training and test batches, and the key of their labels.
_BATCHES = {
    10: ([f'data_batch_{i}' for i in range(1, 6)], ['test_batch'], b'labels'),
    100: (['train'], ['test'], b'fine_labels'),
}


def get_cifar10(withlabel: bool = True, ndim: int = 3, scale: float = 1., dtype: Any = None
                ) -> tuple[Any, Any]:
    """CIFAR-10: 50000 training and 10000 test colour images of 32x32 pixels, 10 classes.

    Args:
        withlabel (bool): Return :class:`TupleDataset` s of ``(image, label)``
            (labels are int32); otherwise the image arrays alone.
        ndim (int): 3 gives images of shape ``(3, 32, 32)``, 1 flat ``(3072,)``.
        scale (float): Pixel values run from 0 to ``scale``.
        dtype: The image dtype (default ``config.dtype``).

    Returns:
        tuple: ``(train, test)``.
    """
    return _get_cifar(10, withlabel, ndim, scale, dtype)


def get_cifar100(withlabel: bool = True, ndim: int = 3, scale: float = 1., dtype: Any = None
                 ) -> tuple[Any, Any]:
    """CIFAR-100: like :func:`get_cifar10` with 100 (fine) classes."""
    return _get_cifar(100, withlabel, ndim, scale, dtype)


def _get_cifar(n_classes: int, withlabel: bool, ndim: int, scale: float, dtype: Any
               ) -> tuple[Any, Any]:
    caller = f'get_cifar{n_classes}'
    if ndim not in (1, 3):
        raise ValueError(f'{caller}: expected ndim to be 1 or 3, received {ndim!r}')
    directory = download.get_dataset_directory(os.path.join('pfnet', 'chainer', 'cifar'))
    path = os.path.join(directory, f'cifar-{n_classes}.npz')

    def create(path: str) -> dict[str, numpy.ndarray]:
        archive = download.cached_download(_URLS[n_classes], checksum=_CHECKSUMS[n_classes])
        raw = read_cifar_archive(archive, n_classes)
        numpy.savez_compressed(path, **raw)
        return raw

    raw = download.cache_or_load_file(path, create, numpy.load)
    image_dtype = numpy.dtype(config.dtype if dtype is None else dtype)
    return tuple(_preprocess(raw[f'{split}_x'], raw[f'{split}_y'], withlabel, ndim, scale,
                             image_dtype) for split in ('train', 'test'))


def read_cifar_archive(path: str, n_classes: int) -> dict[str, numpy.ndarray]:
    """``train_x``, ``train_y``, ``test_x``, ``test_y`` from a CIFAR Python archive.

    Images are uint8 arrays of shape ``(N, 3072)`` (channel, row, column order).
    """
    train_names, test_names, label_key = _BATCHES[n_classes]
    raw = {}
    with tarfile.open(path, 'r:gz') as archive:
        members = {os.path.basename(m.name): m for m in archive.getmembers() if m.isfile()}
        for split, names in (('train', train_names), ('test', test_names)):
            images, labels = [], []
            for name in names:
                with archive.extractfile(members[name]) as f:
                    batch = pickle.load(f, encoding='bytes')
                images.append(numpy.asarray(batch[b'data'], dtype=numpy.uint8))
                labels.append(numpy.asarray(batch[label_key], dtype=numpy.uint8))
            raw[f'{split}_x'] = numpy.concatenate(images)
            raw[f'{split}_y'] = numpy.concatenate(labels)
    return raw


def _preprocess(images: numpy.ndarray, labels: numpy.ndarray, withlabel: bool, ndim: int,
                scale: float, dtype: numpy.dtype) -> Any:
    if ndim == 3:
        images = images.reshape(-1, 3, 32, 32)
    images = images.astype(dtype)
    images *= scale / 255.
    if not withlabel:
        return images
    return TupleDataset(images, labels.astype(numpy.int32))
