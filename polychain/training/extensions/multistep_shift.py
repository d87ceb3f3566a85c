"""MultistepShift: multiplies an optimizer attribute by gamma at given call counts."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from polychain.training.extensions.value_shift import ValueShift


class MultistepShift(ValueShift):
    """Sets the attribute to ``init * gamma ** k``, ``k`` the number of steps reached.

    With ``step_value = [s1, s2]`` the attribute is ``init`` before call
    ``s1``, ``init * gamma`` from ``s1`` and ``init * gamma ** 2`` from ``s2``.

    Args:
        attr: Name of the optimizer attribute to adjust (e.g. ``'lr'``).
        gamma: The factor applied at each step.
        step_value: The call counts at which the steps happen, increasing.
        init: The initial value; ``None`` reads the optimizer's attribute.
        optimizer: The optimizer; ``None`` means the trainer's main optimizer.
    """

    def __init__(self, attr: str, gamma: float, step_value: Sequence[int],
                 init: float | None, optimizer: Any = None) -> None:
        steps = list(step_value)
        if steps != sorted(steps):
            raise ValueError(f'MultistepShift: expected step_value in increasing order, '
                             f'received {step_value!r}')
        super().__init__(attr, optimizer)
        self._gamma = gamma
        self._step_value = steps
        self._init = init

    def prepare(self, optimizer: Any) -> None:
        if self._init is None:
            self._init = getattr(optimizer, self._attr)

    def value_at(self, t: int) -> float:
        return self._init * self._gamma ** bisect.bisect_right(self._step_value, t)
