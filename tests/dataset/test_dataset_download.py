"""The dataset root, cached_download with checksums, and cache_or_load_file (no network)."""

import hashlib
import os
import urllib.error

import pytest

from polychain.dataset import download


@pytest.fixture
def root(tmp_path, monkeypatch):
    """An empty dataset root named by POLYCHAIN_DATASET_ROOT."""
    monkeypatch.setattr(download, '_root_override', None)
    monkeypatch.setenv('POLYCHAIN_DATASET_ROOT', str(tmp_path / 'root'))
    return tmp_path / 'root'


@pytest.fixture
def fake_network(monkeypatch):
    """Replaces download_file: serves ``contents[url]`` and records each request."""
    contents, requests = {}, []

    def fake_download_file(url, destination):
        requests.append(url)
        if url not in contents:
            raise urllib.error.URLError('network is unreachable')
        with open(destination, 'wb') as file:
            file.write(contents[url])

    monkeypatch.setattr(download, 'download_file', fake_download_file)
    return contents, requests


def test_root_comes_from_polychain_then_chainer_variable_then_home(monkeypatch, tmp_path):
    monkeypatch.setattr(download, '_root_override', None)
    monkeypatch.delenv('POLYCHAIN_DATASET_ROOT', raising=False)
    monkeypatch.delenv('CHAINER_DATASET_ROOT', raising=False)
    monkeypatch.setenv('HOME', str(tmp_path))
    assert download.get_dataset_root() == str(tmp_path / '.polychain' / 'dataset')
    monkeypatch.setenv('CHAINER_DATASET_ROOT', '/chainer/root')
    assert download.get_dataset_root() == '/chainer/root'
    monkeypatch.setenv('POLYCHAIN_DATASET_ROOT', '/polychain/root')
    assert download.get_dataset_root() == '/polychain/root'
    download.set_dataset_root(tmp_path / 'chosen')
    assert download.get_dataset_root() == str(tmp_path / 'chosen')
    download.set_dataset_root(None)
    assert download.get_dataset_root() == '/polychain/root'


def test_get_dataset_directory_creates_it(root):
    path = download.get_dataset_directory('some/name')
    assert path == os.path.join(str(root), 'some', 'name')
    assert os.path.isdir(path)


def test_cached_download_fetches_once(root, fake_network):
    contents, requests = fake_network
    contents['http://example.com/a.bin'] = b'payload'
    first = download.cached_download('http://example.com/a.bin')
    second = download.cached_download('http://example.com/a.bin')
    assert first == second
    assert first.startswith(str(root / '_dl_cache'))
    assert open(first, 'rb').read() == b'payload'
    assert requests == ['http://example.com/a.bin']


def test_cached_download_verifies_checksums(root, fake_network):
    contents, _ = fake_network
    contents['http://example.com/a.bin'] = b'payload'
    good = 'sha256:' + hashlib.sha256(b'payload').hexdigest()
    assert open(download.cached_download('http://example.com/a.bin', good), 'rb').read() == \
        b'payload'
    bad = 'md5:' + hashlib.md5(b'other').hexdigest()
    with pytest.raises(RuntimeError, match=r'http://example.com/a.bin.*md5.*deleted'):
        download.cached_download('http://example.com/a.bin', bad)
    assert os.listdir(root / '_dl_cache') == []


def test_failed_download_leaves_no_file(root, fake_network):
    with pytest.raises(urllib.error.URLError):
        download.cached_download('http://example.com/missing.bin')
    assert os.listdir(root / '_dl_cache') == []


def test_malformed_checksum_is_rejected(tmp_path):
    path = tmp_path / 'file'
    path.write_bytes(b'x')
    with pytest.raises(ValueError, match='verify_checksum: .*<algorithm>:<hexdigest>'):
        download.verify_checksum(str(path), 'abcdef')


def test_cache_or_load_file_creates_once_then_loads(tmp_path):
    created = []

    def creator(path):
        created.append(path)
        with open(path, 'w') as file:
            file.write('content')
        return 'created'

    def loader(path):
        with open(path) as file:
            return 'loaded ' + file.read()

    target = str(tmp_path / 'cache' / 'data.txt')
    assert download.cache_or_load_file(target, creator, loader) == 'created'
    assert download.cache_or_load_file(target, creator, loader) == 'loaded content'
    assert len(created) == 1 and created[0] != target
    assert os.listdir(tmp_path / 'cache') == ['data.txt']


def test_cache_or_load_file_needs_a_dataset_root_directory(tmp_path):
    not_a_directory = tmp_path / 'file'
    not_a_directory.write_text('')
    download.set_dataset_root(str(not_a_directory))
    try:
        with pytest.raises(RuntimeError, match='dataset root'):
            download.cache_or_load_file(str(tmp_path / 'x'), lambda p: None, lambda p: None)
    finally:
        download.set_dataset_root(None)
