"""RMSprop and Graves' variant of it."""

from __future__ import annotations

from typing import Any

from polychain.optimizer import Hyperparameter, HyperparameterProxy
from polychain.optimizers.eps import check_eps
from polychain.optimizers.rule_method import DefaultedRule, RuleMethod, default_hyperparam

_rmsprop_defaults = default_hyperparam(lr=0.01, alpha=0.99, eps=1e-8, eps_inside_sqrt=False)
_graves_defaults = default_hyperparam(lr=1e-4, alpha=0.95, momentum=0.9, eps=1e-4)


class RMSpropRule(DefaultedRule):
    """``ms = alpha * ms + (1 - alpha) * grad**2``; ``param -= lr * grad / (sqrt(ms) + eps)``.

    With ``eps_inside_sqrt`` the denominator is ``sqrt(ms + eps)``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        alpha: Exponential decay rate of the second moment.
        eps: Small value for numerical stability.
        eps_inside_sqrt: Add ``eps`` inside the square root.
    """

    defaults = _rmsprop_defaults
    zero_states = ('ms',)

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None, alpha: float | None = None, eps: float | None = None,
                 eps_inside_sqrt: bool | None = None) -> None:
        super().__init__(parent_hyperparam, lr=lr, alpha=alpha, eps=eps,
                         eps_inside_sqrt=eps_inside_sqrt)

    def update_array(self, param: Any) -> None:
        hp, grad, xp = self.hyperparam, param.grad, param.device.namespace
        eps, alpha = float(hp.eps), float(hp.alpha)
        check_eps('RMSprop', eps, grad.dtype, xp)
        ms = alpha * self.state['ms'] + (1 - alpha) * grad * grad
        self.state['ms'] = ms
        denominator = xp.sqrt(ms + eps) if hp.eps_inside_sqrt else xp.sqrt(ms) + eps
        param.array = param.array - float(hp.lr) * grad / denominator


class RMSprop(RuleMethod):
    """RMSprop (Tieleman and Hinton, 2012).

    Args:
        lr: Learning rate.
        alpha: Exponential decay rate of the second moment.
        eps: Small value for numerical stability.
        eps_inside_sqrt: Add ``eps`` inside the square root.
    """

    rule_class = RMSpropRule
    lr = HyperparameterProxy('lr')
    alpha = HyperparameterProxy('alpha')
    eps = HyperparameterProxy('eps')
    eps_inside_sqrt = HyperparameterProxy('eps_inside_sqrt')

    def __init__(self, lr: float = _rmsprop_defaults.lr, alpha: float = _rmsprop_defaults.alpha,
                 eps: float = _rmsprop_defaults.eps,
                 eps_inside_sqrt: bool = _rmsprop_defaults.eps_inside_sqrt) -> None:
        super().__init__(lr=lr, alpha=alpha, eps=eps, eps_inside_sqrt=eps_inside_sqrt)


class RMSpropGravesRule(DefaultedRule):
    """Graves' RMSprop: running averages ``n`` of grad**2 and ``g`` of grad, with momentum.

    ``delta = momentum * delta - lr * grad / sqrt(n - g**2 + eps)``; ``param += delta``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        alpha: Exponential decay rate of the averages.
        momentum: Exponential decay rate of the step.
        eps: Small value for numerical stability.
    """

    defaults = _graves_defaults
    zero_states = ('n', 'g', 'delta')

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None, alpha: float | None = None,
                 momentum: float | None = None, eps: float | None = None) -> None:
        super().__init__(parent_hyperparam, lr=lr, alpha=alpha, momentum=momentum, eps=eps)

    def update_array(self, param: Any) -> None:
        hp, grad, xp = self.hyperparam, param.grad, param.device.namespace
        alpha = float(hp.alpha)
        n = alpha * self.state['n'] + (1 - alpha) * grad * grad
        g = alpha * self.state['g'] + (1 - alpha) * grad
        delta = (float(hp.momentum) * self.state['delta']
                 - float(hp.lr) * grad / xp.sqrt(n - g * g + float(hp.eps)))
        self.state['n'] = n
        self.state['g'] = g
        self.state['delta'] = delta
        param.array = param.array + delta


class RMSpropGraves(RuleMethod):
    """Graves' RMSprop ("Generating Sequences With Recurrent Neural Networks", 2013).

    Args:
        lr: Learning rate.
        alpha: Exponential decay rate of the averages.
        momentum: Exponential decay rate of the step.
        eps: Small value for numerical stability.
    """

    rule_class = RMSpropGravesRule
    lr = HyperparameterProxy('lr')
    alpha = HyperparameterProxy('alpha')
    momentum = HyperparameterProxy('momentum')
    eps = HyperparameterProxy('eps')

    def __init__(self, lr: float = _graves_defaults.lr, alpha: float = _graves_defaults.alpha,
                 momentum: float = _graves_defaults.momentum,
                 eps: float = _graves_defaults.eps) -> None:
        super().__init__(lr=lr, alpha=alpha, momentum=momentum, eps=eps)
