"""The range check of integer indexes, labels and ids, one reduction over them.

Some backends clamp or fill out-of-range gathers silently (JAX gives NaN),
and NumPy wraps negative indexes around; functions that gather by ids or
labels check them with :func:`check_index_range` on every backend.
"""

from __future__ import annotations

from typing import Any

from polychain.backend import to_host


class IndexOutOfRange(IndexError, ValueError):
    """An index, id or label outside its range.

    NumPy raises an IndexError for an index out of bounds; Chainer's
    debug-mode checks of labels and ids raise a ValueError. This is both.
    """


def check_index_range(xp: Any, ids: Any, size: int, function: str, what: str,
                      valid: Any = None, negative: bool = False) -> None:
    """Raises :class:`IndexOutOfRange` when an entry of ``ids`` is outside its range.

    Args:
        xp: The Array API namespace of ``ids``.
        ids: Integer array of indexes.
        size: The length of the axis indexed: entries must lie in ``[0, size)``.
        function: The function's name, for the message.
        what: What the ids are, for the message (``'labels'``).
        valid: Boolean array of ``ids``' shape, false at the ignore_label:
            those entries are not checked. ``None`` checks every entry.
        negative: Accept ``[-size, 0)`` too (Python's negative indexes).
    """
    low = -size if negative else 0
    bad = (ids < low) | (ids >= size)
    if valid is not None:
        bad = bad & valid
    if bool(xp.any(bad)):
        found = to_host(ids)[to_host(bad)]
        ignored = '' if valid is None else ' or the ignore_label'
        raise IndexOutOfRange(f'{function}: expected {what} in [{low}, {size}){ignored}, '
                              f'received {found[:10].tolist()}'
                              f'{" ..." if found.size > 10 else ""}')
