"""Runs the ``mpi`` tests of this folder under ``mpiexec -n 2`` and checks both ranks passed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from . import mpi_launch

HERE = Path(__file__).parent


@pytest.mark.skipif(mpi_launch.missing() is not None, reason=str(mpi_launch.missing()))
def test_mpi_tests_pass_on_two_ranks(tmp_path):
    result = mpi_launch.run(
        [sys.executable, '-m', 'pytest', '-n', '0', '-p', 'no:cacheprovider', '-m', 'mpi',
         '-q', str(HERE)],
        timeout=540, cwd=str(HERE.parent.parent), env={'POLYCHAIN_MPI_REPORT': str(tmp_path)})
    assert result.returncode == 0, result.stdout[-6000:]
    tallies = [json.loads((tmp_path / f'rank{r}.json').read_text()) for r in range(2)]
    assert tallies[0] == tallies[1], tallies
    assert tallies[0]['failed'] == 0 and tallies[0]['passed'] >= 20, tallies
