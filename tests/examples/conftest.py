"""Helpers of the tests that run Chainer's example scripts against polychain."""

from __future__ import annotations

from pathlib import Path

import pytest

from polychain_conformance.chainer_examples import runner
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
