"""Constant padding written with the Array API (no in-place writes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from array_api_compat import device as native_device


def pad_constant(xp: Any, x: Any, pad_width: Sequence[tuple[int, int]],
                 value: float | Sequence[tuple[float, float]]) -> Any:
    """``x`` with ``pad_width[i] = (before, after)`` elements of ``value`` around axis ``i``.

    ``value`` is one scalar, or a ``(before, after)`` pair of scalars per axis.
    """
    for axis, (before, after) in enumerate(pad_width):
        if not before and not after:
            continue
        pieces = []
        values = value[axis] if isinstance(value, (tuple, list)) else (value, value)
        for count, fill in zip((before, after), values):
            shape = tuple(x.shape[:axis]) + (count,) + tuple(x.shape[axis + 1:])
            pieces.append(xp.full(shape, fill, dtype=x.dtype, device=native_device(x)))
        x = xp.concat([pieces[0], x, pieces[1]], axis=axis)
    return x
