"""Helpers of the tests that run Chainer's example scripts against polychain."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import polychain
from polychain_conformance.chainer_examples import fixtures, runner
from polychain_conformance.chainer_examples.catalogue import SCRIPTS

#: Chainer 7.8.1's examples, beside the repository (``../shared/chainer-v7/examples``).
CHAINER_EXAMPLES = Path(__file__).resolve().parents[3] / 'shared' / 'chainer-v7' / 'examples'


@pytest.fixture
def chainer_examples() -> Path:
    """Chainer's examples folder; the test is skipped where it is absent."""
    if not CHAINER_EXAMPLES.is_dir():
        pytest.skip(f"Chainer's examples are not at {CHAINER_EXAMPLES} (Chainer 7.8.1's "
                    'examples folder, in the shared folder beside the repository)')
    return CHAINER_EXAMPLES


@pytest.fixture
def run_examples(chainer_examples: Path, tmp_path: Path):
    """``run_examples(*paths, device=...)``: runs catalogue scripts in order, checks each passed."""
    by_path = {script.path: script for script in SCRIPTS}

    def run(*paths: str, device: str = '@numpy') -> list[runner.Outcome]:
        outcomes = []
        for path in paths:
            script = by_path[path]
            missing = runner.missing_modules(script)
            if missing:
                pytest.skip(f'{path} needs {", ".join(missing)}, not installed')
            outcome = runner.run_script(chainer_examples, script, device,
                                        tmp_path / script.family, tmp_path / 'datasets')
            assert outcome.status == 'passed', \
                f'{path} on {device}: {outcome.status}: {outcome.reason}\n{outcome.output[-3000:]}'
            outcomes.append(outcome)
        return outcomes

    return run


@pytest.fixture
def run_in_example(chainer_examples: Path, tmp_path: Path):
    """``run_in_example(folder, code)``: runs ``code`` in ``tmp_path`` with ``chainer``
    aliased to polychain, the example's folder importable and the data sets under
    ``tmp_path / 'datasets'``; checks it exits 0 and returns its output."""
    return lambda folder, code: _run_in_example(chainer_examples, folder, code, tmp_path)


def _run_in_example(examples: Path, folder: str, code: str, workdir: Path) -> str:
    script = workdir / 'check.py'
    script.write_text(f'import sys\nsys.path.insert(0, {str(examples / folder)!r})\n{code}')
    completed = subprocess.run(
        [sys.executable, '-m', 'polychain_conformance.chainer_examples.bootstrap', str(script)],
        cwd=workdir, env=runner.environment(workdir / 'datasets'), capture_output=True,
        text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout


@pytest.fixture
def mnist_fixture(tmp_path: Path):
    """``mnist_fixture(name)``: the training and test sets that ``get_mnist`` reads from the
    data-set fixture ``name`` written under ``tmp_path``."""
    return lambda name: _read_mnist_fixture(name, tmp_path)


def _read_mnist_fixture(name: str, root: Path) -> tuple:
    fixtures.prepare([name], root, root)
    polychain.dataset.set_dataset_root(str(root))
    try:
        return polychain.datasets.get_mnist()
    finally:
        polychain.dataset.set_dataset_root(None)
