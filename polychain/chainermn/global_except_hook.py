"""Ends the whole MPI job when one rank dies of an uncaught exception.

Without it, the other ranks would wait forever in their next collective. The
hook prints the traceback under a line naming the rank, then calls
``MPI_Abort`` on ``COMM_WORLD``, which makes ``mpiexec`` end every rank.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

_previous_hook = None


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
