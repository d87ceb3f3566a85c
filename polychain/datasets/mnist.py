"""MNIST and Fashion-MNIST: read from IDX files on disk, else downloaded and cached.

Each split is looked for, in order, as ``<name>.gz`` or ``<name>`` in the
dataset's cache directory ``<root>/pfnet/chainer/<dataset>`` (the layout of
Chainer's cache, so ``CHAINER_DATASET_ROOT`` may point at an existing one),
then in system directories (Debian's ``dataset-fashion-mnist`` package
installs ``/usr/share/datasets/fashion-mnist``), and only then downloaded
into ``<root>/_dl_cache`` with its checksum verified. The parsed arrays are
cached as ``train.npz`` / ``test.npz`` in the cache directory.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy

from polychain.configuration import config
from polychain.dataset import download
from polychain.datasets.idx import read_idx
from polychain.datasets.tuple_dataset import TupleDataset

SPLIT_FILES = {
    'train': ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    'test': ('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
}


@dataclass(frozen=True)
class IdxImageSource:
    """Where one IDX image dataset lives: cache directory, system directories, mirrors.

    Args:
        caller: The public function, named in error messages.
        cache_name: The directory under the dataset root.
        system_directories: Directories searched after the cache directory.
        mirrors: Base URLs; ``<mirror><name>.gz`` is downloaded.
        checksums: ``'<algorithm>:<hexdigest>'`` of each downloaded ``<name>.gz``
            (a file without one is not verified).
    """

    caller: str
    cache_name: str
    system_directories: tuple[str, ...]
    mirrors: tuple[str, ...]
    checksums: dict[str, str]


MNIST = IdxImageSource(
    caller='get_mnist',
    cache_name='pfnet/chainer/mnist',
    system_directories=(),
    mirrors=('https://ossci-datasets.s3.amazonaws.com/mnist/',
             'http://yann.lecun.com/exdb/mnist/'),
    checksums={
        'train-images-idx3-ubyte': 'md5:f68b3c2dcbeaaa9fbdd348bbdeb94873',
        'train-labels-idx1-ubyte': 'md5:d53e105ee54ea40749a09fcbcd1e9432',
        't10k-images-idx3-ubyte': 'md5:9fb629c4189551a2d022fa330f9573f3',
        't10k-labels-idx1-ubyte': 'md5:ec29112dd5afa0611ce80d1b7f02629c',
    },
)

FASHION_MNIST = IdxImageSource(
    caller='get_fashion_mnist',
    cache_name='pfnet/chainer/fashion-mnist',
    system_directories=('/usr/share/datasets/fashion-mnist',),
    mirrors=('http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',),
    checksums={
        'train-images-idx3-ubyte': 'md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d',
        'train-labels-idx1-ubyte': 'md5:25c81989df183df01b3e8a0aad5dffbe',
        't10k-images-idx3-ubyte': 'md5:bef4ecab320f06d8554ea6380940ec79',
        't10k-labels-idx1-ubyte': 'md5:bb300cfdad3c16e7a12a480ee83cd310',
    },
)

FASHION_MNIST_LABELS = ('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt',
                        'Sneaker', 'Bag', 'Ankle boot')


def get_mnist(withlabel: bool = True, ndim: int = 1, scale: float = 1., dtype: Any = None,
              label_dtype: Any = numpy.int32, rgb_format: bool = False) -> Any:
    """The MNIST handwritten digits: 60000 training and 10000 test images of 28x28 pixels.

    Args:
        withlabel (bool): Return :class:`TupleDataset` s of ``(image, label)``;
            otherwise return the image arrays alone.
        ndim (int): 1 gives images of shape ``(784,)``, 2 gives ``(28, 28)``
            and 3 gives ``(1, 28, 28)`` (``(3, 28, 28)`` with ``rgb_format``).
        scale (float): Pixel values run from 0 to ``scale``.
        dtype: The image dtype (default ``config.dtype``, float32).
        label_dtype: The label dtype.
        rgb_format (bool): With ``ndim=3``, repeat the gray channel three times.

    Returns:
        tuple: ``(train, test)``.
    """
    return get_image_dataset(MNIST, withlabel, ndim, scale, dtype, label_dtype, rgb_format)


def get_fashion_mnist(withlabel: bool = True, ndim: int = 1, scale: float = 1.,
                      dtype: Any = None, label_dtype: Any = numpy.int32,
                      rgb_format: bool = False) -> Any:
    """Fashion-MNIST: 60000 training and 10000 test images of clothes, 28x28 pixels, 10 classes.

    Takes the same arguments as :func:`get_mnist`; the class names are
    given by :func:`get_fashion_mnist_labels`.

    Returns:
        tuple: ``(train, test)``.
    """
    return get_image_dataset(FASHION_MNIST, withlabel, ndim, scale, dtype, label_dtype,
                              rgb_format)


def get_fashion_mnist_labels() -> list[str]:
    """The Fashion-MNIST class names, indexed by label."""
    return list(FASHION_MNIST_LABELS)


def get_image_dataset(source: IdxImageSource, withlabel: bool, ndim: int, scale: float,
                      dtype: Any, label_dtype: Any, rgb_format: bool) -> tuple[Any, Any]:
    """``(train, test)`` of an MNIST-like IDX source, preprocessed as :func:`get_mnist` says."""
    if ndim not in (1, 2, 3):
        raise ValueError(f'{source.caller}: expected ndim to be 1, 2 or 3, received {ndim!r}')
    image_dtype = numpy.dtype(config.dtype if dtype is None else dtype)
    return tuple(_preprocess(_load_split(source, split), withlabel, ndim, scale, image_dtype,
                             label_dtype, rgb_format) for split in SPLIT_FILES)


def _preprocess(raw: dict[str, Any], withlabel: bool, ndim: int, scale: float,
                image_dtype: numpy.dtype, label_dtype: Any, rgb_format: bool) -> Any:
    images = raw['x']
    height, width = raw['image_shape']
    if ndim == 2:
        images = images.reshape(-1, height, width)
    elif ndim == 3:
        images = images.reshape(-1, 1, height, width)
        if rgb_format:
            images = numpy.broadcast_to(images, (len(images), 3, height, width))
    images = images.astype(image_dtype)
    images *= scale / 255.
    if not withlabel:
        return images
    return TupleDataset(images, raw['y'].astype(label_dtype))


def _load_split(source: IdxImageSource, split: str) -> dict[str, Any]:
    directory = download.get_dataset_directory(source.cache_name)
    cache_path = os.path.join(directory, f'{split}.npz')

    def create(path: str) -> dict[str, Any]:
        raw = _read_split(source, directory, split)
        numpy.savez_compressed(path, **raw)
        return raw

    def load(path: str) -> dict[str, Any]:
        try:
            with numpy.load(path) as archive:
                images, labels = archive['x'], archive['y']
                image_shape = tuple(archive['image_shape']) if 'image_shape' in archive \
                    else (28, 28)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            raise ValueError(f'{source.caller}: the cache file {path} is corrupt ({error}); '
                             f'delete it to rebuild it from the IDX files') from error
        if images.ndim != 2 or len(images) != len(labels) or \
                images.shape[1] != image_shape[0] * image_shape[1]:
            raise ValueError(f'{source.caller}: the cache file {path} holds images of shape '
                             f'{images.shape} and labels of shape {labels.shape}, which do not '
                             f'match; delete it to rebuild it from the IDX files')
        return {'x': images, 'y': labels, 'image_shape': image_shape}

    return download.cache_or_load_file(cache_path, create, load)


def _read_split(source: IdxImageSource, directory: str, split: str) -> dict[str, Any]:
    images_name, labels_name = SPLIT_FILES[split]
    images_path = _locate(source, directory, images_name)
    labels_path = _locate(source, directory, labels_name)
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3 or images.dtype != numpy.uint8:
        raise ValueError(f'{source.caller}: expected {images_path} to hold uint8 images of shape '
                         f'(N, rows, columns), received {images.dtype} of shape {images.shape}')
    if labels.ndim != 1 or labels.dtype != numpy.uint8:
        raise ValueError(f'{source.caller}: expected {labels_path} to hold uint8 labels of shape '
                         f'(N,), received {labels.dtype} of shape {labels.shape}')
    if len(images) != len(labels):
        raise ValueError(f'{source.caller}: {images_path} has {len(images)} images but '
                         f'{labels_path} has {len(labels)} labels')
    return {'x': images.reshape(len(images), -1), 'y': labels,
            'image_shape': numpy.asarray(images.shape[1:])}


def _locate(source: IdxImageSource, cache_directory: str, name: str) -> str:
    """The path of IDX file ``name`` on disk, downloading it if no directory has it."""
    candidates = [os.path.join(directory, filename)
                  for directory in (cache_directory,) + source.system_directories
                  for filename in (name + '.gz', name)]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    failures = []
    for mirror in source.mirrors:
        url = mirror + name + '.gz'
        try:
            return download.cached_download(url, checksum=source.checksums.get(name))
        except OSError as error:
            failures.append(f'  {url} (download failed: {error})')
    places = '\n'.join([f'  {path}' for path in candidates] + failures)
    raise FileNotFoundError(
        f'{source.caller}: could not find the IDX file {name!r}. Looked in:\n{places}\n'
        f'Put {name}.gz in {cache_directory} (the dataset root comes from '
        f'POLYCHAIN_DATASET_ROOT), or allow the download.')
