"""ManualScheduleTrigger: fires at given iterations or epochs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.training.triggers.progress import UnitProgress, check_unit, serialize_or_default


class ManualScheduleTrigger:
    """Fires when training reaches one of ``points`` (in ``unit``).

    Args:
        points: An iteration or epoch number, or a list of them.
        unit: ``'iteration'`` or ``'epoch'``.

    Attributes:
        finished: ``True`` once the last point has been reached; the Trainer
            then skips the ``initialize`` of an extension using this trigger.
    """

    def __init__(self, points: int | float | Sequence[int | float], unit: str) -> None:
        check_unit('ManualScheduleTrigger', unit)
        self.points = list(points) if isinstance(points, (list, tuple)) else [points]
        if not self.points:
            raise ValueError('ManualScheduleTrigger: expected at least one point, received '
                             'an empty list')
        self.unit = unit
        self.finished = False
        self._progress = UnitProgress(unit)

    def __call__(self, trainer: Any) -> bool:
        previous, current = self._progress.advance(trainer.updater)
        fire = any(previous < point <= current for point in self.points)
        if current >= max(self.points):
            self.finished = True
        return fire

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the trigger's position and whether it is finished."""
        self._progress.serialize(serializer)
        self.finished = bool(serialize_or_default(serializer, 'finished', self.finished, False))
