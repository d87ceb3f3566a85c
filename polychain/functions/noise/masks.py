"""Random keep-masks drawn from a device's seeded generator."""

from __future__ import annotations

from typing import Any

from polychain.variable import Variable


def keep_mask(device: Any, shape: tuple[int, ...], dtype: Any, ratio: float) -> Any:
    """A boolean array of ``shape``: each entry True with probability ``1 - ratio``."""
    return device.random.uniform(shape, dtype) >= ratio


def check_ratio(function: str, ratio: float, high_inclusive: bool = False) -> None:
    """Raises ValueError unless ``0 <= ratio < 1`` (``<= 1`` with ``high_inclusive``)."""
    if not (0.0 <= ratio <= 1.0 if high_inclusive else 0.0 <= ratio < 1.0):
        bound = ']' if high_inclusive else ')'
        raise ValueError(f'{function}: expected ratio in [0, 1{bound}, received {ratio}')


def as_variable(x: Any) -> Variable:
    """``x`` itself when it is a Variable, else a Variable of ``x`` that needs no gradient."""
    return x if isinstance(x, Variable) else Variable(x, requires_grad=False)
