"""get_mnist / get_fashion_mnist from IDX files written here; the real Debian Fashion-MNIST."""

import dataclasses
import gzip
import hashlib
import os

import numpy
import pytest

from polychain.dataset import download
from polychain.datasets import (
    TupleDataset,
    get_fashion_mnist,
    get_fashion_mnist_labels,
    get_mnist,
    mnist,
)

SIZES = {'train': 5, 't10k': 3}
DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist'


def synthetic_split(prefix):
    """Images whose pixels encode (example, position) and labels 0, 1, 2, ..."""
    count = SIZES[prefix]
    images = (numpy.arange(count * 784).reshape(count, 28, 28) * 7 % 256).astype(numpy.uint8)
    return images, numpy.arange(count, dtype=numpy.uint8) % 10


@pytest.fixture
def write_split_files(write_idx):
    """``write(directory, compress)`` writes the four IDX files there."""
    def write(directory, compress=True):
        suffix = '.gz' if compress else ''
        for prefix in SIZES:
            images, labels = synthetic_split(prefix)
            write_idx(directory / f'{prefix}-images-idx3-ubyte{suffix}', images, compress)
            write_idx(directory / f'{prefix}-labels-idx1-ubyte{suffix}', labels, compress)
    return write


@pytest.fixture
def system_directory(tmp_path, monkeypatch):
    """Fashion-MNIST's system directory, moved to an empty temporary one."""
    directory = tmp_path / 'system-fashion-mnist'
    monkeypatch.setattr(mnist, 'FASHION_MNIST', dataclasses.replace(
        mnist.FASHION_MNIST, system_directories=(str(directory),)))
    return directory


@pytest.fixture
def mnist_cache(dataset_root, write_split_files):
    """MNIST's cache directory holding gzip-compressed IDX files."""
    directory = dataset_root / 'pfnet' / 'chainer' / 'mnist'
    write_split_files(directory)
    return directory


@pytest.mark.parametrize('compress', [True, False], ids=['gzip', 'raw'])
def test_get_mnist_reads_idx_files_from_the_cache_directory(dataset_root, write_split_files,
                                                            compress):
    write_split_files(dataset_root / 'pfnet' / 'chainer' / 'mnist', compress)
    train, test = get_mnist()
    assert isinstance(train, TupleDataset)
    assert (len(train), len(test)) == (5, 3)
    images, labels = synthetic_split('train')
    x, t = train[4]
    assert x.shape == (784,) and x.dtype == numpy.float32
    numpy.testing.assert_allclose(x, images[4].reshape(-1) / 255., rtol=1e-6)
    assert t.dtype == numpy.int32 and t == labels[4]


@pytest.mark.parametrize('ndim, rgb_format, shape', [
    (1, False, (784,)), (2, False, (28, 28)), (3, False, (1, 28, 28)), (3, True, (3, 28, 28)),
])
def test_ndim_and_rgb_format_shape_the_images(mnist_cache, ndim, rgb_format, shape):
    train, test = get_mnist(withlabel=False, ndim=ndim, rgb_format=rgb_format)
    assert train.shape == (5,) + shape and test.shape == (3,) + shape
    expected = synthetic_split('t10k')[0][2] / 255.
    for channel in range(shape[0] if ndim == 3 else 1):
        numpy.testing.assert_allclose(test[2].reshape(-1, 28, 28)[channel], expected, rtol=1e-6)


def test_scale_dtype_and_label_dtype(mnist_cache):
    train, _ = get_mnist(scale=2., dtype=numpy.float64, label_dtype=numpy.int64)
    x, t = train[1]
    assert x.dtype == numpy.float64 and t.dtype == numpy.int64
    numpy.testing.assert_allclose(x, synthetic_split('train')[0][1].reshape(-1) * 2. / 255.)
    assert 0. <= x.min() and x.max() <= 2.


def test_invalid_ndim_is_rejected(mnist_cache):
    with pytest.raises(ValueError, match='get_mnist: expected ndim to be 1, 2 or 3, received 4'):
        get_mnist(ndim=4)


def test_parsed_arrays_are_cached_as_npz(mnist_cache):
    first, _ = get_mnist(withlabel=False)
    assert sorted(p for p in os.listdir(mnist_cache) if p.endswith('.npz')) == \
        ['test.npz', 'train.npz']
    for name in os.listdir(mnist_cache):
        if 'ubyte' in name:
            os.remove(mnist_cache / name)
    second, _ = get_mnist(withlabel=False)
    numpy.testing.assert_array_equal(first, second)


def test_corrupt_npz_cache_raises_a_clear_error(mnist_cache):
    (mnist_cache / 'train.npz').write_bytes(b'not a zip file')
    with pytest.raises(ValueError, match=r'get_mnist: the cache file .*train.npz is corrupt'):
        get_mnist()


def test_mismatched_image_and_label_counts_name_both_files(dataset_root, write_idx,
                                                            write_split_files):
    directory = dataset_root / 'pfnet' / 'chainer' / 'mnist'
    write_split_files(directory)
    write_idx(directory / 'train-labels-idx1-ubyte.gz', numpy.zeros(4, numpy.uint8))
    with pytest.raises(ValueError, match=r'train-images-idx3-ubyte.gz has 5 images but .*'
                                         r'train-labels-idx1-ubyte.gz has 4 labels'):
        get_mnist()


def test_truncated_idx_file_names_the_file(mnist_cache):
    path = mnist_cache / 't10k-images-idx3-ubyte.gz'
    path.write_bytes(gzip.compress(gzip.decompress(path.read_bytes())[:-10]))
    with pytest.raises(ValueError, match='t10k-images-idx3-ubyte.gz is truncated'):
        get_mnist()


def test_fashion_mnist_reads_the_system_directory(system_directory, write_split_files):
    write_split_files(system_directory)
    train, test = get_fashion_mnist(ndim=2)
    assert (len(train), len(test)) == (5, 3)
    assert train[0][0].shape == (28, 28)
    assert get_fashion_mnist_labels()[9] == 'Ankle boot' and len(get_fashion_mnist_labels()) == 10


def test_cache_directory_comes_before_the_system_directory(dataset_root, system_directory,
                                                           write_idx, write_split_files):
    write_split_files(system_directory)
    cache = dataset_root / 'pfnet' / 'chainer' / 'fashion-mnist'
    write_split_files(cache)
    write_idx(cache / 'train-labels-idx1-ubyte.gz', numpy.full(5, 7, numpy.uint8))
    train, _ = get_fashion_mnist()
    assert [int(t) for _, t in train] == [7] * 5


def test_missing_files_list_every_place_looked_in(dataset_root, system_directory):
    with pytest.raises(FileNotFoundError) as raised:
        get_fashion_mnist()
    message = str(raised.value)
    cache = dataset_root / 'pfnet' / 'chainer' / 'fashion-mnist'
    assert message.startswith("get_fashion_mnist: could not find the IDX file "
                              "'train-images-idx3-ubyte'")
    for place in (cache / 'train-images-idx3-ubyte.gz', cache / 'train-images-idx3-ubyte',
                  system_directory / 'train-images-idx3-ubyte.gz',
                  system_directory / 'train-images-idx3-ubyte'):
        assert str(place) in message
    assert 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/' \
           'train-images-idx3-ubyte.gz (download failed:' in message
    assert 'offline test' in message


def test_mnist_tries_every_mirror(dataset_root):
    with pytest.raises(FileNotFoundError) as raised:
        get_mnist()
    for mirror in mnist.MNIST.mirrors:
        assert mirror + 'train-images-idx3-ubyte.gz (download failed' in str(raised.value)


def serve(monkeypatch, files):
    """Makes download_file serve ``files`` (name -> bytes) from any mirror."""
    def fake_download_file(url, destination):
        with open(destination, 'wb') as file:
            file.write(files[url.rsplit('/', 1)[1]])
    monkeypatch.setattr(download, 'download_file', fake_download_file)


def gzip_split_files(idx_bytes):
    files = {}
    for prefix in SIZES:
        images, labels = synthetic_split(prefix)
        files[f'{prefix}-images-idx3-ubyte.gz'] = gzip.compress(idx_bytes(images), mtime=0)
        files[f'{prefix}-labels-idx1-ubyte.gz'] = gzip.compress(idx_bytes(labels), mtime=0)
    return files


def test_downloads_are_verified_and_used(dataset_root, system_directory, monkeypatch,
                                         idx_bytes):
    files = gzip_split_files(idx_bytes)
    serve(monkeypatch, files)
    checksums = {name[:-3]: 'sha256:' + hashlib.sha256(data).hexdigest()
                 for name, data in files.items()}
    monkeypatch.setattr(mnist, 'FASHION_MNIST', dataclasses.replace(
        mnist.FASHION_MNIST, checksums=checksums))
    train, test = get_fashion_mnist()
    assert (len(train), len(test)) == (5, 3)
    assert len(os.listdir(dataset_root / '_dl_cache')) == 4


def test_checksum_mismatch_deletes_the_download_and_raises(dataset_root, system_directory,
                                                           monkeypatch, idx_bytes):
    serve(monkeypatch, gzip_split_files(idx_bytes))
    with pytest.raises(RuntimeError, match=r'train-images-idx3-ubyte.gz\) has md5 .*expected '
                                           r'8d4fb7e6c68d591d4c3dfef9ec88bf0d'):
        get_fashion_mnist()
    assert os.listdir(dataset_root / '_dl_cache') == []


@pytest.mark.skipif(not os.path.isdir(DEBIAN_FASHION_MNIST),
                    reason=f'{DEBIAN_FASHION_MNIST} is missing (apt-get install '
                           f'dataset-fashion-mnist)')
def test_real_debian_fashion_mnist():
    train, test = get_fashion_mnist(withlabel=False)
    assert train.shape == (60000, 784) and test.shape == (10000, 784)
    assert train.dtype == numpy.float32
    assert train.min() == 0. and train.max() == 1.
    train, test = get_fashion_mnist()
    labels = numpy.array([t for _, t in test])
    assert labels.dtype == numpy.int32
    assert numpy.array_equal(numpy.bincount(labels), [1000] * 10)
