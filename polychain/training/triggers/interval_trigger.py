"""IntervalTrigger: fires every N iterations or epochs."""

from __future__ import annotations

from typing import Any

from polychain.training.triggers.progress import UnitProgress, check_unit


class IntervalTrigger:
    """Fires every ``period`` units of ``unit`` (``'iteration'`` or ``'epoch'``).

    Args:
        period: Length of the interval.
        unit: ``'iteration'`` or ``'epoch'``.
    """

    def __init__(self, period: int | float, unit: str) -> None:
        check_unit('IntervalTrigger', unit)
        if not period > 0:
            raise ValueError(f'IntervalTrigger: expected a positive period, received {period!r}')
        self.period = period
        self.unit = unit
        self._progress = UnitProgress(unit)

    def __call__(self, trainer: Any) -> bool:
        previous, current = self._progress.advance(trainer.updater)
        return previous // self.period != current // self.period

    def get_training_length(self) -> tuple[int | float, str]:
        """``(period, unit)``: the length of training when used as a stop trigger."""
        return self.period, self.unit

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the trigger's position."""
        self._progress.serialize(serializer)

    def __str__(self) -> str:
        return f'IntervalTrigger({self.period}, {self.unit!r})'


def get_trigger(trigger: Any) -> Any:
    """A trigger from a callable, ``(period, unit)``, or ``None`` (never fires)."""
    if callable(trigger):
        return trigger
    if trigger is None:
        return _never
    period, unit = trigger
    return IntervalTrigger(period, unit)


def _never(trainer: Any) -> bool:
    return False
