"""WarmupShift: raises an optimizer attribute linearly to its value over the first calls."""

from __future__ import annotations

from typing import Any

from polychain.training.extensions.value_shift import ValueShift


class WarmupShift(ValueShift):
    """Moves the attribute evenly from ``warmup_start`` to ``init`` in ``warmup_iter`` calls.

    Args:
        attr: Name of the optimizer attribute to adjust (e.g. ``'lr'``).
        warmup_start: The value before the first call; ``None`` reads the
            optimizer's attribute.
        warmup_iter: The number of calls the warm-up lasts.
        init: The value reached at the end of the warm-up, and kept after it.
        optimizer: The optimizer; ``None`` means the trainer's main optimizer.
    """

    def __init__(self, attr: str, warmup_start: float | None, warmup_iter: int,
                 init: float, optimizer: Any = None) -> None:
        if warmup_iter <= 0:
            raise ValueError(f'WarmupShift: expected a positive warmup_iter, received '
                             f'{warmup_iter}')
        super().__init__(attr, optimizer)
        self._warmup_start = warmup_start
        self._warmup_iter = warmup_iter
        self._init = init

    def prepare(self, optimizer: Any) -> None:
        if self._warmup_start is None:
            self._warmup_start = getattr(optimizer, self._attr)

    def value_at(self, t: int) -> float:
        if t >= self._warmup_iter:
            return self._init
        return (t * self._init + (self._warmup_iter - t) * self._warmup_start) \
            / self._warmup_iter
