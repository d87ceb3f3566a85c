"""TimeTrigger: fires once every period of the trainer's elapsed time."""

from __future__ import annotations

from typing import Any


class TimeTrigger:
    """Fires when ``trainer.elapsed_time`` passes the next multiple of ``period`` seconds.

    Calls that come late fire once, and the next firing stays on the grid of
    multiples (after firing at 1.2 s with a period of 1 s, the next is at 2 s).

    Args:
        period: The interval in seconds.
    """

    def __init__(self, period: float) -> None:
        self._period = period
        self._next_time = period

    def __call__(self, trainer: Any) -> bool:
        if self._next_time > trainer.elapsed_time:
            return False
        self._next_time += self._period
        return True

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the time of the next firing."""
        self._next_time = float(serializer('_next_time', self._next_time))
