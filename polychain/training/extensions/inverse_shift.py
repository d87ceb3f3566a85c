"""InverseShift: an inverse-decay schedule of an optimizer attribute."""

from __future__ import annotations

from typing import Any

from polychain.training.extensions.value_shift import ScaledShift


class InverseShift(ScaledShift):
    """Sets the attribute to ``init * (1 + gamma * t) ** (-power)`` after ``t`` calls.

    Args:
        attr: Name of the optimizer attribute to adjust (e.g. ``'lr'``).
        gamma: How fast the attribute moves (not negative).
        power: The exponent; a positive one decays the attribute, a negative one grows it.
        init: The initial value; ``None`` reads the optimizer's attribute.
        target: A value the attribute stops at once reached.
        optimizer: The optimizer; ``None`` means the trainer's main optimizer.
    """

    def __init__(self, attr: str, gamma: float, power: float, init: float | None = None,
                 target: float | None = None, optimizer: Any = None) -> None:
        if gamma < 0:
            raise ValueError(f'InverseShift: expected a gamma that is not negative, '
                             f'received {gamma}')
        super().__init__(attr, init, target, optimizer)
        self._gamma = gamma
        self._power = power
        self.increasing = power < 0

    def scale_at(self, t: int) -> float:
        return (1 + self._gamma * t) ** -self._power
