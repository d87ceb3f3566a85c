"""ExponentialShift: multiplies an optimizer attribute by a rate at every call."""

from __future__ import annotations

from typing import Any

from polychain.training.extensions.value_shift import MultiplicativeShift


class ExponentialShift(MultiplicativeShift):
    """Sets the attribute to ``init * rate ** t`` after ``t`` calls.

    Args:
        attr: Name of the optimizer attribute to adjust (e.g. ``'lr'``).
        rate: The factor applied at each call (not negative).
        init: The initial value; ``None`` reads the optimizer's attribute.
        target: A value the attribute stops at once reached.
        optimizer: The optimizer; ``None`` means the trainer's main optimizer.
    """

    def __init__(self, attr: str, rate: float, init: float | None = None,
                 target: float | None = None, optimizer: Any = None) -> None:
        if rate < 0:
            raise ValueError(f'ExponentialShift: expected a rate that is not negative, '
                             f'received {rate}')
        super().__init__(attr, rate, init, target, optimizer)

    def power_at(self, t: int) -> int:
        return t
