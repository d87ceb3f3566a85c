"""NCCL as ChainerMN's ``chainermn.nccl``, provided by the CuPy backend (``CupyBackend.nccl``).

Importing this module never fails: without CuPy or NCCL, :data:`available`
is ``False``, :data:`reason` says why and :func:`get_build_version` is 0.
"""

from __future__ import annotations

from typing import Any

from polychain.backend import BackendUnavailable, get_backend


def _support() -> tuple[Any, str]:
    """The CuPy backend's NCCL support module and why NCCL cannot be used ('' if it can)."""
    try:
        support = get_backend('cupy').nccl
    except (BackendUnavailable, ValueError) as error:
        return None, f'NCCL is not available: the cupy backend is unavailable ({error})'
    if support.module is None:
        return None, support.reason
    return support, ''


_nccl_support, reason = _support()
available = _nccl_support is not None
_available = available


def get_build_version() -> int:
    """The NCCL version CuPy was built with (0 without NCCL)."""
    return _nccl_support.module.get_build_version() if available else 0


def get_version() -> int:
    """The version of the NCCL library loaded (0 without NCCL)."""
    return _nccl_support.module.get_version() if available else 0


def require() -> Any:
    """The CuPy backend's NCCL support module (``module``, ``allreduce_sum``,
    ``NCCL_TYPES``); ``RuntimeError`` saying why when NCCL cannot be used."""
    if not available:
        raise RuntimeError(reason + '. Install CuPy with NCCL (pip install '
                           "'polychain[cupy]') or use the 'naive' or 'flat' communicator.")
    return _nccl_support
