"""PolynomialShift: a polynomial schedule of an optimizer attribute over a fixed number of calls."""

from __future__ import annotations

import math
from typing import Any

from polychain.training.extensions.value_shift import ScaledShift


class PolynomialShift(ScaledShift):
    """Sets the attribute to ``init * (1 - t / max_count) ** rate`` after ``t`` calls.

    After ``max_count`` calls the base stays at 0.

    Args:
        attr: Name of the optimizer attribute to adjust (e.g. ``'lr'``).
        rate: The exponent; a positive one decays the attribute, a negative one grows it.
        max_count: The number of calls over which the schedule runs.
        init: The initial value; ``None`` reads the optimizer's attribute.
        target: A value the attribute stops at once reached.
        optimizer: The optimizer; ``None`` means the trainer's main optimizer.
    """

    def __init__(self, attr: str, rate: float, max_count: int, init: float | None = None,
                 target: float | None = None, optimizer: Any = None) -> None:
        super().__init__(attr, init, target, optimizer)
        self._rate = rate
        self._max_count = max_count
        self.increasing = rate < 0

    def scale_at(self, t: int) -> float:
        base = max(1.0 - t / self._max_count, 0.0)
        if base == 0.0 and self._rate < 0:
            return math.inf
        return base ** self._rate
