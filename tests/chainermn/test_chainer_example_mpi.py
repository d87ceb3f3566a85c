"""Chainer 7.8.1's ``examples/chainermn/mnist/train_mnist.py``, unchanged, under ``mpiexec -n 2``
(and ``examples/mnist/train_mnist_mpi.py``), on the small generated MNIST of the example runner."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from polychain_conformance.chainer_examples import fixtures

from . import mpi_launch

REPOSITORY = Path(__file__).resolve().parents[2]
CHAINER_EXAMPLES = REPOSITORY.parent / 'shared' / 'chainer-v7' / 'examples'

pytestmark = pytest.mark.skipif(mpi_launch.missing() is not None,
                                reason=str(mpi_launch.missing()))


@pytest.fixture
def dataset_root(tmp_path):
    root = tmp_path / 'datasets'
    fixtures.prepare(['mnist'], root, tmp_path)
    return {'POLYCHAIN_DATASET_ROOT': str(root), 'CHAINER_DATASET_ROOT': str(root)}


@pytest.mark.parametrize('communicator', ['naive', 'flat'])
def test_chainers_chainermn_mnist_example_runs_unchanged(tmp_path, dataset_root, communicator):
    script = CHAINER_EXAMPLES / 'chainermn' / 'mnist' / 'train_mnist.py'
    if not script.exists():
        pytest.skip(f"Chainer's examples are not at {CHAINER_EXAMPLES}")
    result = mpi_launch.run(
        [sys.executable, '-m', 'polychain_conformance.chainer_examples.bootstrap', str(script),
         '--communicator', communicator, '--epoch', '2', '--unit', '50',
         '--out', str(tmp_path / 'result')], timeout=300, cwd=str(tmp_path), env=dataset_root)
    assert result.returncode == 0, result.stdout[-4000:]
    assert 'Num process (COMM_WORLD): 2' in result.stdout
    assert result.stdout.count('validation/main/accuracy') == 1  # rank 0 alone reports
    assert '\n2 ' in result.stdout, result.stdout[-2000:]  # the second epoch's line


def test_train_mnist_mpi_example(tmp_path, dataset_root):
    result = mpi_launch.run(
        [sys.executable, str(REPOSITORY / 'examples' / 'mnist' / 'train_mnist_mpi.py'),
         '--dataset', 'mnist', '--communicator', 'flat', '--epoch', '1', '--batchsize', '50',
         '--out', str(tmp_path / 'result')], timeout=300, cwd=str(tmp_path), env=dataset_root)
    assert result.returncode == 0, result.stdout[-4000:]
    assert '2 processes, flat communicator' in result.stdout
    assert 'Finished 1 epochs on 2 processes' in result.stdout
