"""Regularisation hooks: L2 (weight decay) and L1 (lasso) terms added to the gradients."""

from __future__ import annotations

from typing import Any


class WeightDecay:
    """Adds ``rate * param`` to each gradient (L2 regularisation).

    Args:
        rate: Coefficient of the decay.

    Attributes:
        timing: ``'pre'``: it runs before the parameters are updated.
        call_for_each_param: ``True``: it is called as ``hook(rule, param)``.
    """

    name = 'WeightDecay'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def __call__(self, rule: Any, param: Any) -> None:
        p, g = param.array, param.grad
        if p is None or g is None:
            return
        param.grad = g + float(self.rate) * p


class Lasso:
    """Adds ``rate * sign(param)`` to each gradient (L1 regularisation).

    Args:
        rate: Coefficient of the term.

    Attributes:
        timing: ``'pre'``: it runs before the parameters are updated.
        call_for_each_param: ``True``: it is called as ``hook(rule, param)``.
    """

    name = 'Lasso'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def __call__(self, rule: Any, param: Any) -> None:
        p, g = param.array, param.grad
        if p is None or g is None:
            return
        param.grad = g + float(self.rate) * param.xp.sign(p)
