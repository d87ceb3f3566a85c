"""Where datasets are cached, and downloading files into that cache.

The root is ``$POLYCHAIN_DATASET_ROOT``, else ``$CHAINER_DATASET_ROOT``, else
``~/.polychain/dataset``; :func:`set_dataset_root` overrides all three.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import urllib.request
from collections.abc import Callable
from typing import Any

ROOT_ENVIRONMENT_VARIABLES = ('POLYCHAIN_DATASET_ROOT', 'CHAINER_DATASET_ROOT')
DOWNLOAD_TIMEOUT_SECONDS = 60.0

_root_override: str | None = None


def get_dataset_root() -> str:
    """The directory under which datasets are cached.

    It is the path given to :func:`set_dataset_root`, else the environment
    variable ``POLYCHAIN_DATASET_ROOT``, else ``CHAINER_DATASET_ROOT``, else
    ``~/.polychain/dataset``.
    """
    if _root_override is not None:
        return _root_override
    for name in ROOT_ENVIRONMENT_VARIABLES:
        value = os.environ.get(name)
        if value:
            return value
    return os.path.join(os.path.expanduser('~'), '.polychain', 'dataset')


def set_dataset_root(path: str | None) -> None:
    """Makes ``path`` the dataset root (``None`` goes back to the environment/default).

    Args:
        path (str or None): The new root directory.
    """
    global _root_override
    _root_override = None if path is None else os.fspath(path)


def get_dataset_directory(dataset_name: str, create_directory: bool = True) -> str:
    """The cache directory of one dataset, ``<root>/<dataset_name>``.

    Args:
        dataset_name (str): The dataset's name, which may contain slashes.
        create_directory (bool): Create the directory if it does not exist.
    """
    path = os.path.join(get_dataset_root(), dataset_name)
    if create_directory:
        os.makedirs(path, exist_ok=True)
    return path


def download_file(url: str, destination: str) -> None:
    """Writes the resource at ``url`` to the file ``destination``.

    Args:
        url (str): What to download.
        destination (str): The file to write.

    Raises:
        OSError: The download failed (``urllib.error.URLError`` is one).
    """
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response, \
            open(destination, 'wb') as file:
        shutil.copyfileobj(response, file)


def file_digest(path: str, algorithm: str) -> str:
    """The hexadecimal digest of a file's bytes.

    Args:
        path (str): The file.
        algorithm (str): A :mod:`hashlib` algorithm name such as ``'sha256'`` or ``'md5'``.
    """
    digest = hashlib.new(algorithm)
    with open(path, 'rb') as file:
        for block in iter(lambda: file.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def verify_checksum(path: str, checksum: str, source: str | None = None) -> None:
    """Checks a file against ``'<algorithm>:<hexdigest>'``; on mismatch deletes it and raises.

    Args:
        path (str): The file to check.
        checksum (str): The expected digest, e.g. ``'sha256:9f86d0...'`` or ``'md5:8d4f...'``.
        source (str): Where the file came from, named in the error message.

    Raises:
        ValueError: ``checksum`` is not of the form ``'<algorithm>:<hexdigest>'``.
        RuntimeError: The file's digest differs (the file has been deleted).
    """
    algorithm, _, expected = checksum.partition(':')
    if not expected or algorithm not in hashlib.algorithms_available:
        raise ValueError(f'verify_checksum: expected checksum as "<algorithm>:<hexdigest>" with '
                         f'a hashlib algorithm, received {checksum!r}')
    actual = file_digest(path, algorithm)
    if actual != expected.lower():
        os.remove(path)
        origin = f' (downloaded from {source})' if source else ''
        raise RuntimeError(f'verify_checksum: {path}{origin} has {algorithm} {actual}, expected '
                           f'{expected}; the file was deleted, try again or check the source')


def cached_download(url: str, checksum: str | None = None) -> str:
    """Downloads a file once into ``<root>/_dl_cache`` and returns its path.

    Later calls with the same URL return the cached file without touching the
    network. The file appears under its final name only once complete.

    Args:
        url (str): What to download.
        checksum (str): Optional ``'<algorithm>:<hexdigest>'`` the file must
            match (checked on every call); a mismatching file is deleted.

    Returns:
        str: The path of the cached file.
    """
    cache_root = os.path.join(get_dataset_root(), '_dl_cache')
    os.makedirs(cache_root, exist_ok=True)
    cache_path = os.path.join(cache_root, hashlib.md5(url.encode('utf-8')).hexdigest())
    if not os.path.exists(cache_path):
        print(f'Downloading from {url}...', file=sys.stderr)
        temp_root = tempfile.mkdtemp(dir=cache_root)
        try:
            temp_path = os.path.join(temp_root, 'download')
            download_file(url, temp_path)
            os.replace(temp_path, cache_path)
        finally:
            shutil.rmtree(temp_root, ignore_errors=True)
    if checksum is not None:
        verify_checksum(cache_path, checksum, source=url)
    return cache_path


def cache_or_load_file(path: str, creator: Callable[[str], Any],
                       loader: Callable[[str], Any]) -> Any:
    """Loads a cached file, or creates it first.

    If ``path`` exists, returns ``loader(path)``. Otherwise calls
    ``creator(temporary_path)``, which writes the file and returns its
    content; the file is then moved to ``path`` and the content returned.

    Args:
        path (str): The cache file.
        creator: ``creator(path)`` writes the file at ``path`` and returns its content.
        loader: ``loader(path)`` reads the file at ``path``.

    Raises:
        RuntimeError: The dataset root (see :func:`get_dataset_root`) cannot be a directory.
    """
    if os.path.exists(path):
        return loader(path)
    root = get_dataset_root()
    try:
        os.makedirs(root, exist_ok=True)
    except OSError as error:
        raise RuntimeError(f'cache_or_load_file: cannot create the dataset root directory '
                           f'{root} ({error}); set another with set_dataset_root') from error
    directory = os.path.dirname(path) or '.'
    os.makedirs(directory, exist_ok=True)
    temp_root = tempfile.mkdtemp(dir=directory)
    try:
        temp_path = os.path.join(temp_root, os.path.basename(path))
        content = creator(temp_path)
        if os.path.exists(temp_path) and not os.path.exists(path):
            os.replace(temp_path, path)
    finally:
        shutil.rmtree(temp_root, ignore_errors=True)
    return content
