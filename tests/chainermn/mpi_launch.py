"""Finding and running ``mpiexec`` for the tests that start MPI jobs."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path


def mpiexec() -> str | None:
    """The ``mpiexec`` next to this Python (the ``mpich`` wheel's), else one on ``PATH``."""
    beside = Path(sys.executable).with_name('mpiexec')
    if beside.exists():
        return str(beside)
    return shutil.which('mpiexec')


def missing() -> str | None:
    """Why MPI jobs cannot run here (``None`` when they can)."""
    if importlib.util.find_spec('mpi4py') is None:
        return "mpi4py is not installed (pip install -e '.[mpi]')"
    if mpiexec() is None:
        return "no mpiexec found (pip install -e '.[mpi]' installs MPICH's)"
    return None


def run(args: list[str], n: int = 2, timeout: float = 300, cwd: str | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Runs ``mpiexec -n n <args>`` and returns it (output in ``stdout``, stderr merged)."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([mpiexec(), '-n', str(n), *args], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout, cwd=cwd,
                          env=full_env)
