"""Chainer's ``chainer.backends.intel64``: iDeep is not part of polychain.

The names exist so that Chainer code runs: :func:`is_ideep_available` is
``False``, :func:`should_use_ideep` and :func:`inputs_all_ready` are
``False``, :class:`mdarray` is a type no array is an instance of, and
:class:`Intel64Device` raises :class:`RuntimeError` when constructed. Host
arrays are NumPy's (``@numpy``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.backend.device_classes import Intel64Device

__all__ = ['Intel64Device', 'check_ideep_available', 'inputs_all_ready', 'is_ideep_available',
           'mdarray', 'should_use_ideep']

_LEVELS = ('>=auto', '==always')


class mdarray:  # noqa: N801  (Chainer's name)
    """Stands for iDeep's array type: no array is an instance of it."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        check_ideep_available()


def is_ideep_available() -> bool:
    """``False``: iDeep is not available in polychain."""
    return False


def check_ideep_available() -> None:
    """Raises :class:`RuntimeError`, since iDeep is not available in polychain."""
    raise RuntimeError('iDeep is not available in polychain; host arrays are NumPy arrays '
                       '(device "@numpy")')


def should_use_ideep(level: str) -> bool:
    """Whether iDeep should be used at ``level``: ``False``, since it is not available.

    Args:
        level: ``'>=auto'`` or ``'==always'``, as in Chainer.

    Raises:
        ValueError: ``level`` is neither.
    """
    if level not in _LEVELS:
        raise ValueError(f'should_use_ideep: expected level {" or ".join(map(repr, _LEVELS))}, '
                         f'received {level!r}')
    return False


def inputs_all_ready(inputs: Sequence[Any], supported_ndim: Sequence[int] = (2, 4)) -> bool:
    """Whether iDeep can take ``inputs``: ``False``, since it is not available."""
    return False
