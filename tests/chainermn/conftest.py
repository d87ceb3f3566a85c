"""The tests marked ``mpi`` run under ``mpiexec -n 2`` only.

``test_mpi_driver.py`` launches them there; in an ordinary pytest run they are
skipped with that reason. With ``POLYCHAIN_MPI_REPORT`` set to a folder, each
rank writes its tally there as ``rank<N>.json`` so the driver can check that
every rank ran them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent
_tally = {'passed': 0, 'failed': 0, 'skipped': 0}


def under_mpiexec() -> bool:
    """Whether this process was started by an MPI launcher (MPICH/Hydra, Open MPI, PMIx)."""
    return any(name in os.environ for name in ('PMI_RANK', 'OMPI_COMM_WORLD_RANK', 'PMIX_RANK'))


def pytest_collection_modifyitems(config, items):
    if under_mpiexec():
        return
    skip = pytest.mark.skip(
        reason='an MPI test: tests/chainermn/test_mpi_driver.py runs it under mpiexec -n 2')
    for item in items:
        if 'mpi' in item.keywords and HERE in Path(str(item.fspath)).parents:
            item.add_marker(skip)


def pytest_runtest_logreport(report):
    if report.when == 'call' or (report.when == 'setup' and not report.passed):
        _tally[report.outcome] = _tally.get(report.outcome, 0) + 1


def pytest_sessionfinish(session, exitstatus):
    folder = os.environ.get('POLYCHAIN_MPI_REPORT')
    if folder and under_mpiexec():
        from mpi4py import MPI

        rank = MPI.COMM_WORLD.Get_rank()
        Path(folder, f'rank{rank}.json').write_text(
            json.dumps(dict(_tally, exitstatus=int(exitstatus))))
