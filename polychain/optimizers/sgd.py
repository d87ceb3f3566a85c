"""Stochastic gradient descent."""

from __future__ import annotations

from typing import Any

from polychain.optimizer import (
    GradientMethod,
    Hyperparameter,
    HyperparameterProxy,
    UpdateRule,
    set_entries,
)

_default_hyperparam = Hyperparameter()
_default_hyperparam.lr = 0.01


class SGDRule(UpdateRule):
    """Update rule of vanilla SGD: ``param -= lr * grad``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
    """

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None) -> None:
        super().__init__(parent_hyperparam or _default_hyperparam)
        set_entries(self.hyperparam, lr=lr)

    def update_core(self, param: Any) -> None:
        param.array = param.array - float(self.hyperparam.lr) * param.grad


class SGD(GradientMethod):
    """Vanilla stochastic gradient descent.

    Args:
        lr: Learning rate.
    """

    lr = HyperparameterProxy('lr')

    def __init__(self, lr: float = _default_hyperparam.lr) -> None:
        super().__init__()
        self.hyperparam.lr = lr

    def create_update_rule(self) -> SGDRule:
        return SGDRule(self.hyperparam)
