"""The main job (examples/mnist/train_mnist.py) as a user sees it, on a tiny Fashion-MNIST:
where it writes, plain output when redirected, a closing summary, plots, ``*.npz``
snapshots, a clean Ctrl-C with the command to resume, and the line saying what was resumed."""

from __future__ import annotations

import gzip
import importlib.util
import os
import re
import shlex
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy
import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / 'examples' / 'mnist' / 'train_mnist.py'
N_TRAIN, N_TEST, BATCH = 200, 100, 100  # two iterations per epoch
SUMMARY = re.compile(r'Finished (\d+) epochs: validation accuracy (0|1)\.\d{4}, [\d.]+ s; '
                     r'results in (.+)')


def _write_idx(path: Path, array: numpy.ndarray) -> None:
    header = bytes([0, 0, 0x08, array.ndim]) + b''.join(
        size.to_bytes(4, 'big') for size in array.shape)
    path.write_bytes(gzip.compress(header + array.astype(numpy.uint8).tobytes()))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of a run whose dataset root holds a tiny Fashion-MNIST."""
    directory = tmp_path / 'dataset-root' / 'pfnet' / 'chainer' / 'fashion-mnist'
    directory.mkdir(parents=True)
    rng = numpy.random.RandomState(0)
    for prefix, n in (('train', N_TRAIN), ('t10k', N_TEST)):
        _write_idx(directory / f'{prefix}-images-idx3-ubyte.gz', rng.randint(0, 256, (n, 28, 28)))
        _write_idx(directory / f'{prefix}-labels-idx1-ubyte.gz', rng.randint(0, 10, n))
    return {**os.environ, 'POLYCHAIN_DATASET_ROOT': str(tmp_path / 'dataset-root'),
            'MPLBACKEND': 'Agg'}


def _command(out: Path, *extra: str) -> list[str]:
    return [sys.executable, str(EXAMPLE), '--out', str(out), '--batchsize', str(BATCH), *extra]


def test_redirected_output_is_plain_and_ends_with_a_summary(tmp_path, env):
    out, log = tmp_path / 'result', tmp_path / 'stdout.txt'
    with open(log, 'w') as stdout:
        subprocess.run(_command(out, '--epoch', '2'), stdout=stdout, stderr=subprocess.PIPE,
                       env=env, check=True, timeout=300)
    text = log.read_text()
    assert '\x1b' not in text
    lines = text.splitlines()
    assert lines[0] == f'Writing the log, plots and snapshots to {out}'
    summary = SUMMARY.fullmatch(lines[-1])
    assert summary and summary.group(1) == '2' and summary.group(3) == str(out), lines[-1]
    snapshots = sorted(path.name for path in out.glob('snapshot_iter_*'))
    assert snapshots == ['snapshot_iter_2.npz', 'snapshot_iter_4.npz']
    outputs = ['log', *snapshots]
    if importlib.util.find_spec('matplotlib') is not None:
        outputs += ['loss.png', 'accuracy.png']
        assert all((out / name).stat().st_size > 0 for name in ('loss.png', 'accuracy.png'))
    modes = {stat.S_IMODE((out / name).stat().st_mode) for name in outputs}
    assert len(modes) == 1, 'the outputs have different permissions'


def _interrupt_after_first_snapshot(out: Path, env: dict[str, str]) -> tuple[int, str]:
    # A child inherits an ignored SIGINT (from a shell's background job): handle it here.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(_command(out, '--epoch', '100000'),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   env=env)
    finally:
        signal.signal(signal.SIGINT, previous)
    deadline = time.time() + 120
    while not list(out.glob('snapshot_iter_*.npz')):
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            raise AssertionError(f'no snapshot was written: {process.communicate()[1]}')
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    return process.returncode, stderr


def test_ctrl_c_names_the_snapshot_and_the_command_and_autoload_says_so(tmp_path, env):
    out = tmp_path / 'result'
    returncode, stderr = _interrupt_after_first_snapshot(out, env)
    assert returncode == 130, stderr
    assert 'Traceback' not in stderr and 'KeyboardInterrupt' not in stderr, stderr
    message = re.search(r'Interrupted\. The newest snapshot is (\S+); to resume from it, '
                        r'run:\n  (.+)\n$', stderr)
    assert message, stderr
    snapshot = Path(message.group(1))
    iteration = int(re.fullmatch(r'snapshot_iter_(\d+)\.npz', snapshot.name).group(1))
    assert snapshot.parent == out and snapshot.is_file()
    command = shlex.split(message.group(2))
    assert command[1:] == [str(EXAMPLE), *_command(out, '--epoch', '100000')[2:], '--autoload']
    assert os.path.samefile(command[0], sys.executable)

    # Resumed from there, the run says so, and finishes one epoch later.
    epoch = iteration * BATCH // N_TRAIN + 1
    result = subprocess.run(_command(out, '--epoch', str(epoch), '--autoload'),
                            capture_output=True, text=True, env=env, check=True, timeout=300)
    lines = result.stdout.splitlines()
    assert lines[1] == f'Resumed from {snapshot} (iteration {iteration})'
    assert SUMMARY.fullmatch(lines[-1]).group(1) == str(epoch)
