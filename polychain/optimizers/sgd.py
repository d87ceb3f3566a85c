"""Stochastic gradient descent."""

from __future__ import annotations

from typing import Any

from polychain.optimizer import Hyperparameter, HyperparameterProxy
from polychain.optimizers.rule_method import DefaultedRule, RuleMethod, default_hyperparam

_default_hyperparam = default_hyperparam(lr=0.01)


class SGDRule(DefaultedRule):
    """Update rule of vanilla SGD: ``param -= lr * grad``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
    """

    defaults = _default_hyperparam

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None) -> None:
        super().__init__(parent_hyperparam, lr=lr)

    def update_array(self, param: Any) -> None:
        # In place, as Chainer does; on backends with immutable arrays it rebinds.
        param.array -= float(self.hyperparam.lr) * param.grad


class SGD(RuleMethod):
    """Vanilla stochastic gradient descent.

    Args:
        lr: Learning rate.
    """

    rule_class = SGDRule
    lr = HyperparameterProxy('lr')

    def __init__(self, lr: float = _default_hyperparam.lr) -> None:
        super().__init__(lr=lr)
