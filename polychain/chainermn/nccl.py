"""NCCL through CuPy (``cupy.cuda.nccl``), as ChainerMN's ``chainermn.nccl``.

Importing this module never fails: without CuPy or NCCL, :data:`available`
is ``False``, :data:`reason` says why and :func:`get_build_version` is 0.
"""

from __future__ import annotations

from typing import Any

try:
    from cupy.cuda import nccl as _nccl
except Exception as error:  # ImportError, or CUDA libraries that fail to load
    _nccl = None
    reason = f'NCCL is not available: cupy.cuda.nccl cannot be imported ({error})'
else:
    reason = ''

available = _nccl is not None
_available = available


def get_build_version() -> int:
    """The NCCL version CuPy was built with (0 without NCCL)."""
    return _nccl.get_build_version() if available else 0


def get_version() -> int:
    """The version of the NCCL library loaded (0 without NCCL)."""
    return _nccl.get_version() if available else 0


def require() -> Any:
    """CuPy's ``nccl`` module; ``RuntimeError`` saying why when it cannot be used."""
    if not available:
        raise RuntimeError(reason + '. Install CuPy with NCCL (pip install '
                           "'polychain[cupy]') or use the 'naive' or 'flat' communicator.")
    return _nccl
