"""MultistepShift: multiplies an optimizer attribute by gamma at given call counts."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from polychain.training.extensions.value_shift import MultiplicativeShift


class MultistepShift(MultiplicativeShift):
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
        super().__init__(attr, gamma, init, None, optimizer)
        self._step_value = steps

    def power_at(self, t: int) -> int:
        return bisect.bisect_right(self._step_value, t)
