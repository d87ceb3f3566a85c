"""A check shared by rules that divide by ``something + eps``."""

from __future__ import annotations

from typing import Any

import numpy


def check_eps(owner: str, eps: float, dtype: Any, xp: Any) -> None:
    """Raises ``ValueError`` when a non-zero ``eps`` rounds to 0 in ``dtype``.

    The check runs on the host from the dtype alone; it reads no array.
    """
    if eps and numpy.dtype(f'float{xp.finfo(dtype).bits}').type(eps) == 0:
        raise ValueError(f'{owner}: eps {eps} is too small for {dtype}: it rounds to 0')
