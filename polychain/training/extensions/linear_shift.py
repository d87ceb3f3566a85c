"""LinearShift: moves an optimizer attribute linearly between two values."""

from __future__ import annotations

from typing import Any

from polychain.training.extensions.value_shift import ValueShift


class LinearShift(ValueShift):
    """Keeps the attribute at ``v1`` up to call ``t1``, moves it linearly to ``v2`` at ``t2``.

    Args:
        attr: Name of the optimizer attribute to adjust (e.g. ``'momentum'``).
        value_range: ``(v1, v2)``, the first and the last value.
        time_range: ``(t1, t2)``, the call counts where the change starts and ends.
        optimizer: The optimizer; ``None`` means the trainer's main optimizer.
    """

    def __init__(self, attr: str, value_range: tuple[float, float],
                 time_range: tuple[int, int], optimizer: Any = None) -> None:
        super().__init__(attr, optimizer)
        self._value_range = value_range
        self._time_range = time_range

    def value_at(self, t: int) -> float:
        t1, t2 = self._time_range
        v1, v2 = self._value_range
        if t <= t1:
            return v1
        if t >= t2:
            return v2
        return v1 + (t - t1) / (t2 - t1) * (v2 - v1)
