"""The range check of integer indexes, labels and ids, one reduction over them.

Some backends clamp or fill out-of-range gathers silently (JAX gives NaN),
and NumPy wraps negative indexes around; functions that gather by ids or
labels check them with :func:`check_index_range` on every backend. In a
compiled step the check runs after the step (see
:func:`polychain.compiler.context.defer_check`).
"""

from __future__ import annotations

from typing import Any

from polychain.backend import to_host
from polychain.compiler.context import defer_check


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
    ignored = '' if valid is None else ' or the ignore_label'

    def explain(host_ids: Any, host_bad: Any) -> IndexOutOfRange:
        found = host_ids[host_bad]
        return IndexOutOfRange(f'{function}: expected {what} in [{low}, {size}){ignored}, '
                               f'received {found[:10].tolist()}'
                               f'{" ..." if found.size > 10 else ""}')

    failed = xp.any(bad)
    if defer_check(failed, (ids, bad), explain):
        return
    if bool(failed):
        raise explain(to_host(ids), to_host(bad))
