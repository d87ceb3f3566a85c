"""The main job: killed mid-training and resumed with --autoload, it ends where an
uninterrupted run ends, bit for bit (on NumPy)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy
import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / 'examples' / 'mnist' / 'train_mnist.py'
FASHION_MNIST = Path('/usr/share/datasets/fashion-mnist')

pytestmark = pytest.mark.skipif(
    not (FASHION_MNIST / 'train-images-idx3-ubyte.gz').exists(),
    reason='Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)')

EPOCHS = 4
ITERATIONS_PER_EPOCH = 600
# One BLAS thread: many times faster where other tests keep the cores busy (benchmarks/README.md)
ENV = {**os.environ, 'OPENBLAS_NUM_THREADS': '1'}


def _command(out: Path, *extra: str) -> list[str]:
    return [sys.executable, str(EXAMPLE), '--epoch', str(EPOCHS), '--out', str(out),
            '--no-progress', *extra]


def _final_parameters(out: Path) -> dict[str, numpy.ndarray]:
    with numpy.load(out / f'snapshot_iter_{EPOCHS * ITERATIONS_PER_EPOCH}.npz') as snapshot:
        return {key: snapshot[key] for key in snapshot.files if '/model:main/' in key}


def _kill_during_epoch_3(out: Path) -> None:
    process = subprocess.Popen(_command(out), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=ENV)
    deadline = time.time() + 300
    marker = out / f'snapshot_iter_{2 * ITERATIONS_PER_EPOCH}.npz'
    while not marker.exists():
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            raise AssertionError(f'the example stopped before epoch 3: '
                                 f'{process.stderr.read().decode()}')
        time.sleep(0.05)
    time.sleep(0.3)  # well into epoch 3, before its snapshot
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not (out / f'snapshot_iter_{3 * ITERATIONS_PER_EPOCH}.npz').exists(), \
        'the run reached the end of epoch 3 before it was killed; kill it earlier'


def test_resume_after_sigkill_is_bit_identical(tmp_path):
    uninterrupted, resumed = tmp_path / 'uninterrupted', tmp_path / 'resumed'
    subprocess.run(_command(uninterrupted), check=True, capture_output=True, timeout=600,
                   env=ENV)

    _kill_during_epoch_3(resumed)
    result = subprocess.run(_command(resumed, '--autoload'), check=True, capture_output=True,
                            text=True, timeout=600, env=ENV)

    # The resumed run starts after epoch 2: its table continues at epoch 3.
    rows = [line.split()[0] for line in result.stdout.splitlines() if line[:1].isdigit()]
    assert rows == ['3', '4']
    expected = _final_parameters(uninterrupted)
    received = _final_parameters(resumed)
    assert sorted(received) == sorted(expected) and expected
    for key, value in expected.items():
        numpy.testing.assert_array_equal(received[key], value, err_msg=key)
