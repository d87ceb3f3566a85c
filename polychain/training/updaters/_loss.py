"""How the parallel updaters call a loss function with a converted batch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def call_loss(loss_func: Callable[..., Any], in_arrays: Any) -> Any:
    """Calls ``loss_func`` with a converted batch: a tuple spreads, a dict gives keywords."""
    if isinstance(in_arrays, tuple):
        return loss_func(*in_arrays)
    if isinstance(in_arrays, dict):
        return loss_func(**in_arrays)
    return loss_func(in_arrays)
