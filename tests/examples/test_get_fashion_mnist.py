"""examples/mnist/get_fashion_mnist.sh, the data step of the README's first command: apt-get
install as root; as another user, Debian's package unpacked into the dataset cache, where
get_fashion_mnist finds it. apt-get, id and dpkg-query are stand-ins on PATH; dpkg-deb is real."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import numpy
import pytest

from polychain import datasets
from polychain.dataset import download

SCRIPT = Path(__file__).resolve().parents[2] / 'examples' / 'mnist' / 'get_fashion_mnist.sh'
FILES = {'train-images-idx3-ubyte': (3, 28, 28), 'train-labels-idx1-ubyte': (3,),
         't10k-images-idx3-ubyte': (2, 28, 28), 't10k-labels-idx1-ubyte': (2,)}

pytestmark = pytest.mark.skipif(shutil.which('dpkg-deb') is None, reason='needs dpkg-deb')


def _idx(shape: tuple[int, ...], fill: int) -> bytes:
    header = bytes([0, 0, 0x08, len(shape)]) + b''.join(n.to_bytes(4, 'big') for n in shape)
    return gzip.compress(header + bytes([fill]) * int(numpy.prod(shape)))


def _build_package(tmp_path: Path) -> Path:
    """A small dataset-fashion-mnist .deb laid out as Debian's."""
    tree = tmp_path / 'package'
    data = tree / 'usr' / 'share' / 'datasets' / 'fashion-mnist'
    data.mkdir(parents=True)
    for name, shape in FILES.items():
        (data / f'{name}.gz').write_bytes(_idx(shape, 7))
    (tree / 'DEBIAN').mkdir()
    (tree / 'DEBIAN' / 'control').write_text(
        'Package: dataset-fashion-mnist\nVersion: 1.0\nArchitecture: all\n'
        'Maintainer: test <test@example.org>\nDescription: test\n')
    deb = tmp_path / 'dataset-fashion-mnist_1.0_all.deb'
    subprocess.run(['dpkg-deb', '--root-owner-group', '--build', str(tree), str(deb)],
                   check=True, capture_output=True)
    return deb


def _stand_ins(folder: Path, uid: int, deb: Path) -> Path:
    """A folder of stand-in commands; apt-get appends its arguments to ``apt-get.calls``."""
    bin_dir = folder / 'bin'
    bin_dir.mkdir(parents=True)
    calls = folder / 'apt-get.calls'
    scripts = {
        'id': f'echo {uid}',
        'dpkg-query': 'exit 1',  # the package is not installed
        'apt-get': f'echo "$*" >> {calls}\n'
                   f'if [ "$1" = download ]; then cp {deb} .; else exit 100; fi',
    }
    for name, body in scripts.items():
        (bin_dir / name).write_text(f'#!/bin/sh\n{body}\n')
        (bin_dir / name).chmod(0o755)
    return bin_dir


@pytest.fixture
def run(tmp_path):
    """``run(uid)`` runs the script as user ``uid`` against the stand-ins."""
    deb = _build_package(tmp_path)

    def run_as(uid: int) -> subprocess.CompletedProcess:
        bin_dir = _stand_ins(tmp_path / f'uid{uid}', uid, deb)
        env = {**os.environ, 'PATH': f'{bin_dir}{os.pathsep}{os.environ["PATH"]}',
               'HOME': str(tmp_path / 'home'), 'POLYCHAIN_DATASET_ROOT': str(tmp_path / 'root')}
        env.pop('CHAINER_DATASET_ROOT', None)
        return subprocess.run(['sh', str(SCRIPT)], env=env, capture_output=True, text=True,
                              cwd=bin_dir.parent, timeout=60)
    return run_as


def _apt_calls(tmp_path: Path, uid: int) -> list[str]:
    calls = tmp_path / f'uid{uid}' / 'apt-get.calls'
    return calls.read_text().splitlines() if calls.exists() else []


def test_root_installs_the_package_with_apt_get(tmp_path, run):
    result = run(0)
    assert result.returncode == 100  # the stand-in refuses, as apt-get without a network
    assert _apt_calls(tmp_path, 0) == ['update']


def test_a_user_unpacks_the_package_into_the_dataset_cache(tmp_path, run, monkeypatch):
    result = run(1000)
    assert result.returncode == 0, result.stderr
    assert _apt_calls(tmp_path, 1000) == ['download dataset-fashion-mnist']
    target = tmp_path / 'root' / 'pfnet' / 'chainer' / 'fashion-mnist'
    assert sorted(path.name for path in target.iterdir()) == sorted(f'{n}.gz' for n in FILES)
    assert str(target) in result.stdout
    monkeypatch.setattr(download, '_root_override', str(tmp_path / 'root'))
    train, test = datasets.get_fashion_mnist()
    assert len(train) == 3 and len(test) == 2 and int(train[0][1]) == 7

    # Once in the cache, nothing is fetched again.
    assert run(1001).returncode == 0 and _apt_calls(tmp_path, 1001) == []
