"""StepShift: multiplies an optimizer attribute by gamma every ``step`` calls."""

from __future__ import annotations

from typing import Any

from polychain.training.extensions.value_shift import MultiplicativeShift


class StepShift(MultiplicativeShift):
    """Sets the attribute to ``init * gamma ** (t // step)`` after ``t`` calls.

    Args:
        attr: Name of the optimizer attribute to adjust (e.g. ``'lr'``).
        gamma: The factor applied every ``step`` calls.
        step: The number of calls between two changes.
        init: The initial value; ``None`` reads the optimizer's attribute.
        target: A value the attribute stops at once reached.
        optimizer: The optimizer; ``None`` means the trainer's main optimizer.
    """

    def __init__(self, attr: str, gamma: float, step: int, init: float | None = None,
                 target: float | None = None, optimizer: Any = None) -> None:
        if step <= 0:
            raise ValueError(f'StepShift: expected a positive step, received {step}')
        super().__init__(attr, gamma, init, target, optimizer)
        self._step = step

    def power_at(self, t: int) -> int:
        return t // self._step
