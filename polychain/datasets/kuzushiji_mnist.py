"""Kuzushiji-MNIST: 28x28 images of ten cursive Japanese (kuzushiji) hiragana characters.

The data come as MNIST-style IDX files, found and cached as :mod:`polychain.datasets.mnist`
describes (cache directory ``<root>/pfnet/chainer/kuzushiji_mnist``).
"""

from __future__ import annotations

from typing import Any

import numpy

from polychain.datasets.mnist import IdxImageSource, get_image_dataset

KUZUSHIJI_MNIST = IdxImageSource(
    caller='get_kuzushiji_mnist',
    cache_name='pfnet/chainer/kuzushiji_mnist',
    system_directories=(),
    mirrors=('http://codh.rois.ac.jp/kmnist/dataset/kmnist/',),
    checksums={},
)

#: The romanised name and the character of each class, indexed by label.
KUZUSHIJI_MNIST_LABELS = (('o', '\u304A'), ('ki', '\u304D'), ('su', '\u3059'),
                          ('tsu', '\u3064'), ('na', '\u306A'), ('ha', '\u306F'),
                          ('ma', '\u307E'), ('ya', '\u3084'), ('re', '\u308C'),
                          ('wo', '\u3092'))


def get_kuzushiji_mnist(withlabel: bool = True, ndim: int = 1, scale: float = 1.,
                        dtype: Any = None, label_dtype: Any = numpy.int32,
                        rgb_format: bool = False) -> Any:
    """Kuzushiji-MNIST: 60000 training and 10000 test images, 28x28 pixels, 10 classes.

    Takes the same arguments as :func:`polychain.datasets.get_mnist`; the
    classes are given by :func:`get_kuzushiji_mnist_labels`.

    Returns:
        tuple: ``(train, test)``.
    """
    return get_image_dataset(KUZUSHIJI_MNIST, withlabel, ndim, scale, dtype, label_dtype,
                             rgb_format)


def get_kuzushiji_mnist_labels() -> list[tuple[str, str]]:
    """``(romanised name, character)`` of each Kuzushiji-MNIST class, indexed by label."""
    return list(KUZUSHIJI_MNIST_LABELS)
