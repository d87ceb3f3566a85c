"""Fixtures for dataset tests: an empty dataset root, no network, IDX files written here."""

import gzip
import struct
import urllib.error

import numpy
import pytest

from polychain.dataset import download


def encode_idx(array: numpy.ndarray) -> bytes:
    """The IDX encoding of a uint8 array: magic 0x0000080N, big-endian sizes, then the data."""
    array = numpy.asarray(array, dtype=numpy.uint8)
    header = struct.pack('>BBBB', 0, 0, 0x08, array.ndim)
    return header + struct.pack(f'>{array.ndim}I', *array.shape) + array.tobytes()


@pytest.fixture
def idx_bytes():
    """``idx_bytes(array)`` is the IDX encoding of a uint8 array."""
    return encode_idx


@pytest.fixture
def write_idx():
    """``write_idx(path, array, compress=True)`` writes a uint8 array as an IDX file."""
    def write(path, array, compress=True):
        content = encode_idx(array)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(content) if compress else content)
        return path
    return write


@pytest.fixture(autouse=True)
def dataset_root(tmp_path, monkeypatch):
    """An empty dataset root; every download attempt fails as if offline."""
    root = tmp_path / 'dataset-root'
    monkeypatch.setattr(download, '_root_override', None)
    monkeypatch.setenv('POLYCHAIN_DATASET_ROOT', str(root))

    def offline(url, destination):
        raise urllib.error.URLError(f'offline test: {url} not fetched')

    monkeypatch.setattr(download, 'download_file', offline)
    return root
