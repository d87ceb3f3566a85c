"""SGD with momentum: classical, corrected and Nesterov's accelerated gradient."""

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
_default_hyperparam.momentum = 0.9


class _VelocityRule(UpdateRule):
    """A rule with one velocity ``v`` and hyperparameters ``lr`` and ``momentum``."""

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None, momentum: float | None = None) -> None:
        super().__init__(parent_hyperparam or _default_hyperparam)
        set_entries(self.hyperparam, lr=lr, momentum=momentum)

    def init_state(self, param: Any) -> None:
        self.state['v'] = param.xp.zeros_like(param.array)


class MomentumSGDRule(_VelocityRule):
    """``v = momentum * v - lr * grad``; ``param += v``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        momentum: Exponential decay rate of the velocity.
    """

    def update_core(self, param: Any) -> None:
        hp = self.hyperparam
        v = float(hp.momentum) * self.state['v'] - float(hp.lr) * param.grad
        self.state['v'] = v
        param.array = param.array + v


class CorrectedMomentumSGDRule(_VelocityRule):
    """``v = momentum * v - grad``; ``param += lr * v`` (the learning rate scales the velocity).

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        momentum: Exponential decay rate of the velocity.
    """

    def update_core(self, param: Any) -> None:
        hp = self.hyperparam
        v = float(hp.momentum) * self.state['v'] - param.grad
        self.state['v'] = v
        param.array = param.array + float(hp.lr) * v


class NesterovAGRule(_VelocityRule):
    """``v = momentum * v - lr * grad``; ``param += momentum**2 * v - (1 + momentum) * lr * grad``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        momentum: Exponential decay rate of the velocity.
    """

    def update_core(self, param: Any) -> None:
        hp = self.hyperparam
        lr, momentum, grad = float(hp.lr), float(hp.momentum), param.grad
        v = momentum * self.state['v'] - lr * grad
        self.state['v'] = v
        param.array = param.array + momentum * momentum * v - (1 + momentum) * lr * grad


class _VelocityMethod(GradientMethod):
    rule_class: type[_VelocityRule] = MomentumSGDRule
    lr = HyperparameterProxy('lr')
    momentum = HyperparameterProxy('momentum')

    def __init__(self, lr: float = _default_hyperparam.lr,
                 momentum: float = _default_hyperparam.momentum) -> None:
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum

    def create_update_rule(self) -> _VelocityRule:
        return self.rule_class(self.hyperparam)


class MomentumSGD(_VelocityMethod):
    """Momentum SGD.

    Args:
        lr: Learning rate.
        momentum: Exponential decay rate of the velocity.
    """

    rule_class = MomentumSGDRule


class CorrectedMomentumSGD(_VelocityMethod):
    """Momentum SGD whose learning rate scales the velocity (Goyal et al., 2017).

    Args:
        lr: Learning rate.
        momentum: Exponential decay rate of the velocity.
    """

    rule_class = CorrectedMomentumSGDRule


class NesterovAG(_VelocityMethod):
    """Nesterov's accelerated gradient.

    Args:
        lr: Learning rate.
        momentum: Exponential decay rate of the velocity.
    """

    rule_class = NesterovAGRule
