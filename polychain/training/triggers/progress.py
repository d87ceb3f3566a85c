"""Where training was at the previous call of a trigger, and where it is now."""

from __future__ import annotations

import warnings
from typing import Any

UNITS = ('epoch', 'iteration')


def check_unit(owner: str, unit: Any) -> None:
    """Raises ``ValueError`` unless ``unit`` is ``'epoch'`` or ``'iteration'``."""
    if unit not in UNITS:
        raise ValueError(f"{owner}: expected unit 'epoch' or 'iteration', received {unit!r}")


class UnitProgress:
    """Remembers the iteration and epoch detail seen at the previous call.

    A value of ``-1`` (what a snapshot without these entries leaves) stands
    for "unknown": the updater's own previous position is used instead.

    Args:
        unit: ``'epoch'`` or ``'iteration'``, the unit :meth:`advance` reports in.
    """

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.previous_iteration: int = 0
        self.previous_epoch_detail: float = 0.0

    def advance(self, updater: Any) -> tuple[float, float]:
        """``(previous, current)`` position in ``unit``; records the current one."""
        iteration = updater.iteration
        epoch_detail = getattr(updater, 'epoch_detail', None)
        if self.unit == 'epoch':
            previous = self.previous_epoch_detail
            if previous < 0:
                previous = updater.previous_epoch_detail or 0.0
            current = epoch_detail
        else:
            previous = self.previous_iteration
            if previous < 0:
                previous = iteration - 1
            current = iteration
        self.previous_iteration = iteration
        if epoch_detail is not None:
            self.previous_epoch_detail = epoch_detail
        return previous, current

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the previous position (``-1`` when a snapshot lacks it)."""
        self.previous_iteration = _serialize_or_unknown(
            serializer, 'previous_iteration', self.previous_iteration)
        self.previous_epoch_detail = _serialize_or_unknown(
            serializer, 'previous_epoch_detail', self.previous_epoch_detail)


def _serialize_or_unknown(serializer: Any, key: str, value: Any) -> Any:
    return serialize_or_default(serializer, key, value, type(value)(-1))


def serialize_or_default(serializer: Any, key: str, value: Any, default: Any) -> Any:
    """``serializer(key, value)``; ``default``, with a :class:`UserWarning`, when a snapshot
    written before triggers saved their state lacks ``key``."""
    try:
        return serializer(key, value)
    except KeyError:
        if getattr(serializer, 'checking', False):  # the first pass of a load changes nothing
            return value
        warnings.warn(f'the snapshot has no {key!r} of a trigger (it was saved by an older '
                      f'version); the trigger continues from the current position',
                      UserWarning, stacklevel=2)
        return default
