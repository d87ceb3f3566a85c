"""CIFAR, SVHN and Kuzushiji-MNIST: archives converted once into the NPZ cache (offline)."""

import io
import pickle
import tarfile

import numpy
import pytest

from polychain import datasets
from polychain.dataset import download
from polychain.datasets import cifar, svhn


def _tar_with(path, members):
    with tarfile.open(path, 'w:gz') as archive:
        for name, obj in members.items():
            data = pickle.dumps(obj)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_cifar10_archive_is_read_and_cached(tmp_path, monkeypatch):
    batch = {b'data': numpy.full((2, 3072), 255, numpy.uint8), b'labels': [1, 2]}
    members = {f'cifar-10-batches-py/data_batch_{i}': batch for i in range(1, 6)}
    members['cifar-10-batches-py/test_batch'] = batch
    archive = tmp_path / 'cifar.tar.gz'
    _tar_with(archive, members)
    monkeypatch.setattr(download, 'cached_download', lambda url, checksum=None: str(archive))
    train, test = datasets.get_cifar10(scale=2.0)
    assert len(train) == 10 and len(test) == 2
    image, label = train[3]
    assert image.shape == (3, 32, 32) and image.dtype == numpy.float32 and label == 2
    numpy.testing.assert_allclose(image, 2.0)
    flat = datasets.get_cifar10(withlabel=False, ndim=1)[1]  # now from the NPZ cache
    assert flat.shape == (2, 3072)
    with pytest.raises(ValueError, match='ndim'):
        datasets.get_cifar10(ndim=2)


def test_cifar100_reads_fine_labels(tmp_path):
    batch = {b'data': numpy.zeros((1, 3072), numpy.uint8), b'fine_labels': [42]}
    archive = tmp_path / 'cifar100.tar.gz'
    _tar_with(archive, {'cifar-100-python/train': batch, 'cifar-100-python/test': batch})
    raw = cifar.read_cifar_archive(str(archive), 100)
    assert raw['train_y'].tolist() == [42] and raw['test_x'].shape == (1, 3072)


def test_svhn_mat_files_become_chw_images_with_digit_labels(tmp_path, monkeypatch):
    scipy_io = pytest.importorskip('scipy.io')
    images = numpy.arange(32 * 32 * 3 * 2, dtype=numpy.uint8).reshape(32, 32, 3, 2)
    path = tmp_path / 'svhn.mat'
    scipy_io.savemat(str(path), {'X': images, 'y': numpy.array([[10], [3]])})
    monkeypatch.setattr(download, 'cached_download', lambda url, checksum=None: str(path))
    train, test = datasets.get_svhn(scale=255.0)
    image, label = train[0]
    assert image.shape == (3, 32, 32) and label == 0 and train[1][1] == 3
    numpy.testing.assert_array_equal(image[1, 2, 5], images[2, 5, 1, 0])
    assert svhn.read_svhn_mat(str(path))['y'].tolist() == [0, 3]


def test_kuzushiji_mnist_labels_and_offline_error():
    labels = datasets.get_kuzushiji_mnist_labels()
    assert labels[0] == ('o', '\u304a') and len(labels) == 10
    assert datasets.get_fashion_mnist_labels()[9] == 'Ankle boot'
    with pytest.raises(FileNotFoundError, match='get_kuzushiji_mnist'):
        datasets.get_kuzushiji_mnist()
