"""Ends the whole MPI job when one rank dies of an uncaught exception.

Without it, the other ranks would wait forever in their next collective. The
hook prints the traceback under a line naming the rank, then calls
``MPI_Abort`` on ``COMM_WORLD``, which makes ``mpiexec`` end every rank.

A rank killed by a signal cannot report itself, and MPICH's ``mpiexec`` then
kills the others at once, naming only the PID of the process that died;
:func:`announce_ranks` prints, once per job, which PID is which rank.
"""

from __future__ import annotations

import os
import socket
import sys
import time
import traceback
from types import TracebackType
from typing import Any

#: How long the hook waits between writing its message and aborting the job.
_FORWARDING_SECONDS = 0.5
_previous_hook = None
_announced = False


def _abort_on_exception(exc_type: type[BaseException], exc: BaseException,
                        tb: TracebackType | None) -> None:
    from mpi4py import MPI

    rank = MPI.COMM_WORLD.Get_rank()
    size = MPI.COMM_WORLD.Get_size()
    lines = traceback.format_exception(exc_type, exc, tb)
    sys.stderr.write(
        f'\n*** Uncaught exception on rank {rank} of {size}; aborting the MPI job '
        f'(MPI_Abort) so that the other ranks do not wait for it.\n' + ''.join(lines))
    sys.stderr.flush()
    # mpiexec tears every process down at MPI_Abort; a moment first lets it pass on the
    # message it is still forwarding (under load it was sometimes lost).
    time.sleep(_FORWARDING_SECONDS)
    MPI.COMM_WORLD.Abort(1)


def add_hook() -> None:
    """Installs the hook as ``sys.excepthook`` (once)."""
    global _previous_hook
    if sys.excepthook is not _abort_on_exception:
        _previous_hook = sys.excepthook
        sys.excepthook = _abort_on_exception


def remove_hook() -> None:
    """Puts back the ``sys.excepthook`` that :func:`add_hook` replaced."""
    global _previous_hook
    if sys.excepthook is _abort_on_exception:
        sys.excepthook = _previous_hook or sys.__excepthook__
        _previous_hook = None


def announce_ranks(mpi_comm: Any) -> None:
    """Rank 0 prints one line mapping each rank to its PID and host (collective over
    ``mpi_comm``; only the first call for a communicator spanning ``COMM_WORLD`` prints)."""
    global _announced
    from mpi4py import MPI

    if _announced or mpi_comm.size != MPI.COMM_WORLD.Get_size():
        return
    _announced = True
    ranks = mpi_comm.gather((os.getpid(), socket.gethostname()), root=0)
    if mpi_comm.rank == 0:
        listed = ', '.join(f'rank {r} pid {pid} on {host}' for r, (pid, host) in enumerate(ranks))
        sys.stderr.write(f'polychain.chainermn: {len(ranks)} processes: {listed}\n')
        sys.stderr.flush()
