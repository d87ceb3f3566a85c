"""Failures of a rank end the whole ``mpiexec -n 2`` job, and checkpoints resume after a kill."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import numpy
import pytest

from . import mpi_launch

JOB = str(Path(__file__).with_name('mpi_scripts') / 'fault_job.py')

pytestmark = pytest.mark.skipif(mpi_launch.missing() is not None,
                                reason=str(mpi_launch.missing()))


def _job(out: Path, *options: str) -> tuple[int, str, float]:
    start = time.monotonic()
    result = mpi_launch.run([sys.executable, JOB, str(out), *options], timeout=120)
    return result.returncode, result.stdout, time.monotonic() - start


def test_a_rank_that_raises_ends_the_job_naming_the_rank(tmp_path):
    returncode, output, seconds = _job(tmp_path, '--raise-at', '7')
    assert returncode != 0, output
    assert seconds < 60
    assert 'Uncaught exception on rank 1 of 2' in output, output
    assert 'rank 1 fails on purpose at iteration 7' in output


def test_a_killed_rank_ends_the_job_and_the_output_names_it(tmp_path):
    returncode, output, seconds = _job(tmp_path, '--kill-at', '23')
    assert returncode != 0, output
    assert seconds < 60
    dead_pid = re.search(r'PID (\d+) RUNNING AT', output)
    assert dead_pid is not None, output
    assert re.search(rf'rank 1 pid {dead_pid.group(1)} on ', output), output


def test_a_job_resumed_after_a_kill_ends_with_the_parameters_of_an_uninterrupted_one(tmp_path):
    returncode, output, _ = _job(tmp_path / 'whole')
    assert returncode == 0, output
    returncode, output, _ = _job(tmp_path / 'killed', '--kill-at', '23')
    assert returncode != 0, output
    returncode, output, _ = _job(tmp_path / 'killed')
    assert returncode == 0, output
    assert 'rank 1: starting at iteration 20' in output, output  # the newest common checkpoint
    whole = numpy.load(tmp_path / 'whole' / 'final.npz')
    resumed = numpy.load(tmp_path / 'killed' / 'final.npz')
    assert sorted(whole.files) == sorted(resumed.files)
    for name in whole.files:
        numpy.testing.assert_array_equal(resumed[name], whole[name], err_msg=name)
