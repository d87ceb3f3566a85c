"""SVHN: 32x32 colour images of house-number digits, downloaded once and cached as NPZ.

The MATLAB files of the cropped-digit format are downloaded into
``<root>/_dl_cache`` and converted once into ``train.npz`` / ``test.npz`` in
``<root>/pfnet/chainer/svhn`` (reading them needs SciPy).
"""

from __future__ import annotations

import os
from typing import Any

import numpy

from polychain.configuration import config
from polychain.dataset import download
from polychain.datasets.tuple_dataset import TupleDataset

_URLS = {
    'train': 'http://ufldl.stanford.edu/housenumbers/train_32x32.mat',
    'test': 'http://ufldl.stanford.edu/housenumbers/test_32x32.mat',
}


def get_svhn(withlabel: bool = True, scale: float = 1., dtype: Any = None,
             label_dtype: Any = numpy.int32) -> tuple[Any, Any]:
    """SVHN: 73257 training and 26032 test colour images of 32x32 pixels, digits 0 to 9.

    Args:
        withlabel (bool): Return :class:`TupleDataset` s of ``(image, label)``;
            otherwise the image arrays alone.
        scale (float): Pixel values run from 0 to ``scale``.
        dtype: The image dtype (default ``config.dtype``).
        label_dtype: The label dtype.

    Returns:
        tuple: ``(train, test)``, images of shape ``(3, 32, 32)``.
    """
    directory = download.get_dataset_directory(os.path.join('pfnet', 'chainer', 'svhn'))
    image_dtype = numpy.dtype(config.dtype if dtype is None else dtype)
    return tuple(_preprocess(_load_split(directory, split), withlabel, scale, image_dtype,
                             label_dtype) for split in ('train', 'test'))


def _load_split(directory: str, split: str) -> Any:
    def create(path: str) -> dict[str, numpy.ndarray]:
        raw = read_svhn_mat(download.cached_download(_URLS[split]))
        numpy.savez_compressed(path, **raw)
        return raw

    return download.cache_or_load_file(os.path.join(directory, f'{split}.npz'), create,
                                       numpy.load)


def read_svhn_mat(path: str) -> dict[str, numpy.ndarray]:
    """``x`` (uint8, ``(N, 3, 32, 32)``) and ``y`` (digits, 0 for the label 10) of a MAT file."""
    from scipy import io as scipy_io
    mat = scipy_io.loadmat(path)
    images = numpy.ascontiguousarray(mat['X'].transpose(3, 2, 0, 1))
    labels = mat['y'].reshape(-1).astype(numpy.uint8) % 10
    return {'x': images, 'y': labels}


def _preprocess(raw: Any, withlabel: bool, scale: float, dtype: numpy.dtype,
                label_dtype: Any) -> Any:
    images = raw['x'].astype(dtype)
    images *= scale / 255.
    if not withlabel:
        return images
    return TupleDataset(images, raw['y'].astype(label_dtype))
