"""IntervalTrigger: fires every N iterations or epochs."""

from __future__ import annotations

from typing import Any


class IntervalTrigger:
    """Fires every ``period`` units of ``unit`` (``'iteration'`` or ``'epoch'``).

    Args:
        period: Length of the interval.
        unit: ``'iteration'`` or ``'epoch'``.
    """

    def __init__(self, period: int | float, unit: str) -> None:
        if unit not in ('epoch', 'iteration'):
            raise ValueError(f"IntervalTrigger: expected unit 'epoch' or 'iteration', received "
                             f'{unit!r}')
        self.period = period
        self.unit = unit
        self._previous_iteration = 0
        self._previous_epoch_detail = 0.0

    def __call__(self, trainer: Any) -> bool:
        updater = trainer.updater
        if self.unit == 'epoch':
            epoch_detail = updater.epoch_detail
            previous = self._previous_epoch_detail
            # previous_epoch_detail of the updater handles resumed runs too.
            if previous < 0:
                previous = updater.previous_epoch_detail
            fire = previous // self.period != epoch_detail // self.period
            self._previous_epoch_detail = epoch_detail
        else:
            iteration = updater.iteration
            previous = self._previous_iteration
            if previous < 0:
                previous = iteration - 1
            fire = previous // self.period != iteration // self.period
            self._previous_iteration = iteration
        return fire

    def get_training_length(self) -> tuple[int | float, str]:
        """``(period, unit)``: the length of training when used as a stop trigger."""
        return self.period, self.unit

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the trigger's position."""
        self._previous_iteration = serializer('previous_iteration', self._previous_iteration)
        self._previous_epoch_detail = serializer('previous_epoch_detail',
                                                 self._previous_epoch_detail)

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
