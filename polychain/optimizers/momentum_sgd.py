"""SGD with momentum: classical, corrected and Nesterov's accelerated gradient."""

from __future__ import annotations

from typing import Any

from polychain.optimizer import Hyperparameter, HyperparameterProxy
from polychain.optimizers.rule_method import DefaultedRule, RuleMethod, default_hyperparam

_default_hyperparam = default_hyperparam(lr=0.01, momentum=0.9)


class _VelocityRule(DefaultedRule):
    """A rule with one velocity ``v = momentum * v - pushed(lr, grad)`` that moves the parameter.

    Subclasses say what the velocity is pushed by and how the parameter moves.
    """

    defaults = _default_hyperparam
    zero_states = ('v',)

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None, momentum: float | None = None) -> None:
        super().__init__(parent_hyperparam, lr=lr, momentum=momentum)

    def update_array(self, param: Any) -> None:
        hp = self.hyperparam
        lr, momentum, grad = float(hp.lr), float(hp.momentum), param.grad
        v = momentum * self.state['v'] - self.pushed(lr, grad)
        self.state['v'] = v
        param.array = self.moved(param.array, v, lr, momentum, grad)

    def pushed(self, lr: float, grad: Any) -> Any:
        """What the gradient takes away from the velocity: ``lr * grad``."""
        return lr * grad

    def moved(self, array: Any, v: Any, lr: float, momentum: float, grad: Any) -> Any:
        """The new parameter array from the new velocity ``v``; subclasses implement it."""
        raise NotImplementedError(f'{type(self).__name__} must implement moved()')


class MomentumSGDRule(_VelocityRule):
    """``v = momentum * v - lr * grad``; ``param += v``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        momentum: Exponential decay rate of the velocity.
    """

    def moved(self, array: Any, v: Any, lr: float, momentum: float, grad: Any) -> Any:
        return array + v


class CorrectedMomentumSGDRule(_VelocityRule):
    """``v = momentum * v - grad``; ``param += lr * v`` (the learning rate scales the velocity).

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        momentum: Exponential decay rate of the velocity.
    """

    def pushed(self, lr: float, grad: Any) -> Any:
        return grad

    def moved(self, array: Any, v: Any, lr: float, momentum: float, grad: Any) -> Any:
        return array + lr * v


class NesterovAGRule(_VelocityRule):
    """``v = momentum * v - lr * grad``; ``param += momentum**2 * v - (1 + momentum) * lr * grad``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        momentum: Exponential decay rate of the velocity.
    """

    def moved(self, array: Any, v: Any, lr: float, momentum: float, grad: Any) -> Any:
        return array + momentum * momentum * v - (1 + momentum) * lr * grad


class _VelocityMethod(RuleMethod):
    rule_class: type[_VelocityRule] = MomentumSGDRule
    lr = HyperparameterProxy('lr')
    momentum = HyperparameterProxy('momentum')

    def __init__(self, lr: float = _default_hyperparam.lr,
                 momentum: float = _default_hyperparam.momentum) -> None:
        super().__init__(lr=lr, momentum=momentum)


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
