"""The main job with ``--compile``: on JAX it trains compiled, on the loss curve of the eager
run; elsewhere it runs eagerly and says so once. A tiny generated Fashion-MNIST feeds it."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import warnings
from pathlib import Path

import numpy
import pytest

from polychain.compiler import EagerFallbackWarning

pytest.importorskip('jax')

EXAMPLE = Path(__file__).resolve().parents[2] / 'examples' / 'mnist' / 'train_mnist.py'
N_TRAIN, N_TEST, BATCH = 200, 100, 50  # four iterations per epoch
SUMMARY = re.compile(r'Finished (\d+) epochs: validation accuracy ([01]\.\d{4}), [\d.]+ s; '
                     r'results in .+')


def _write_idx(path: Path, array: numpy.ndarray) -> None:
    header = bytes([0, 0, 0x08, array.ndim]) + b''.join(
        size.to_bytes(4, 'big') for size in array.shape)
    path.write_bytes(gzip.compress(header + array.astype(numpy.uint8).tobytes()))


@pytest.fixture(scope='module')
def example():
    """The example script as a module (its ``main(argv)`` returns the trainer)."""
    spec = importlib.util.spec_from_file_location('train_mnist_compile_example', EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def tiny_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dataset root holding a tiny Fashion-MNIST (labels follow the mean brightness)."""
    directory = tmp_path / 'dataset-root' / 'pfnet' / 'chainer' / 'fashion-mnist'
    directory.mkdir(parents=True)
    rng = numpy.random.RandomState(0)
    for prefix, n in (('train', N_TRAIN), ('t10k', N_TEST)):
        images = rng.randint(0, 256, (n, 28, 28))
        labels = numpy.argsort(numpy.argsort(images.mean(axis=(1, 2)))) * 10 // n
        _write_idx(directory / f'{prefix}-images-idx3-ubyte.gz', images)
        _write_idx(directory / f'{prefix}-labels-idx1-ubyte.gz', labels)
    monkeypatch.setenv('POLYCHAIN_DATASET_ROOT', str(tmp_path / 'dataset-root'))


def _train(example, out: Path, capsys, *extra: str) -> tuple[list[dict], str, object]:
    """Runs the main job for 2 epochs; its log, its summary's accuracy and its trainer."""
    trainer = example.main(['--out', str(out), '--batchsize', str(BATCH), '--epoch', '2',
                            '--no-progress', *extra])
    lines = capsys.readouterr().out.splitlines()
    summary = SUMMARY.fullmatch(lines[-1])
    assert summary and summary.group(1) == '2', lines[-1]
    return json.loads((out / 'log').read_text()), summary.group(2), trainer


def test_compiled_on_jax_follows_the_eager_loss_curve(example, tiny_dataset, tmp_path, capsys):
    eager_log, eager_accuracy, _ = _train(example, tmp_path / 'eager', capsys,
                                          '--device', '@jax:cpu:0')
    with warnings.catch_warnings():
        warnings.simplefilter('error', EagerFallbackWarning)  # compiled, never a fallback
        log, accuracy, trainer = _train(example, tmp_path / 'compiled', capsys,
                                        '--device', '@jax:cpu:0', '--compile')
    assert trainer.updater.compile
    assert trainer.get_extension('validation').compile
    assert len(log) == len(eager_log) == 2
    for key in ('main/loss', 'validation/main/loss'):
        numpy.testing.assert_allclose([entry[key] for entry in log],
                                      [entry[key] for entry in eager_log], rtol=1e-5,
                                      err_msg=key)
    assert abs(float(accuracy) - float(eager_accuracy)) <= 0.01


def test_compile_on_numpy_runs_eagerly_and_says_so_once(example, tiny_dataset, tmp_path,
                                                        capsys):
    eager_log, _, _ = _train(example, tmp_path / 'eager', capsys)
    with pytest.warns(EagerFallbackWarning, match='runs eagerly') as record:
        log, _, _ = _train(example, tmp_path / 'compiled', capsys, '--compile')
    fallbacks = [w for w in record if issubclass(w.category, EagerFallbackWarning)]
    assert len(fallbacks) == 2  # one for the updater's step, one for the evaluator's
    for key in ('main/loss', 'validation/main/loss', 'main/accuracy'):
        assert [entry[key] for entry in log] == [entry[key] for entry in eager_log], key
