"""RMSprop and Graves' variant of it."""

from __future__ import annotations

from typing import Any

from polychain.optimizer import (
    GradientMethod,
    Hyperparameter,
    HyperparameterProxy,
    UpdateRule,
    set_entries,
)
from polychain.optimizers.eps import check_eps

_rmsprop_defaults = Hyperparameter()
_rmsprop_defaults.lr = 0.01
_rmsprop_defaults.alpha = 0.99
_rmsprop_defaults.eps = 1e-8
_rmsprop_defaults.eps_inside_sqrt = False

_graves_defaults = Hyperparameter()
_graves_defaults.lr = 1e-4
_graves_defaults.alpha = 0.95
_graves_defaults.momentum = 0.9
_graves_defaults.eps = 1e-4


class RMSpropRule(UpdateRule):
    """``ms = alpha * ms + (1 - alpha) * grad**2``; ``param -= lr * grad / (sqrt(ms) + eps)``.

    With ``eps_inside_sqrt`` the denominator is ``sqrt(ms + eps)``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        alpha: Exponential decay rate of the second moment.
        eps: Small value for numerical stability.
        eps_inside_sqrt: Add ``eps`` inside the square root.
    """

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None, alpha: float | None = None, eps: float | None = None,
                 eps_inside_sqrt: bool | None = None) -> None:
        super().__init__(parent_hyperparam or _rmsprop_defaults)
        set_entries(self.hyperparam, lr=lr, alpha=alpha, eps=eps,
                    eps_inside_sqrt=eps_inside_sqrt)

    def init_state(self, param: Any) -> None:
        self.state['ms'] = param.xp.zeros_like(param.array)

    def update_core(self, param: Any) -> None:
        hp, grad, xp = self.hyperparam, param.grad, param.xp
        eps, alpha = float(hp.eps), float(hp.alpha)
        check_eps('RMSprop', eps, grad.dtype, xp)
        ms = alpha * self.state['ms'] + (1 - alpha) * grad * grad
        self.state['ms'] = ms
        denominator = xp.sqrt(ms + eps) if hp.eps_inside_sqrt else xp.sqrt(ms) + eps
        param.array = param.array - float(hp.lr) * grad / denominator


class RMSprop(GradientMethod):
    """RMSprop (Tieleman and Hinton, 2012).

    Args:
        lr: Learning rate.
        alpha: Exponential decay rate of the second moment.
        eps: Small value for numerical stability.
        eps_inside_sqrt: Add ``eps`` inside the square root.
    """

    lr = HyperparameterProxy('lr')
    alpha = HyperparameterProxy('alpha')
    eps = HyperparameterProxy('eps')
    eps_inside_sqrt = HyperparameterProxy('eps_inside_sqrt')

    def __init__(self, lr: float = _rmsprop_defaults.lr, alpha: float = _rmsprop_defaults.alpha,
                 eps: float = _rmsprop_defaults.eps,
                 eps_inside_sqrt: bool = _rmsprop_defaults.eps_inside_sqrt) -> None:
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.alpha = alpha
        self.hyperparam.eps = eps
        self.hyperparam.eps_inside_sqrt = eps_inside_sqrt

    def create_update_rule(self) -> RMSpropRule:
        return RMSpropRule(self.hyperparam)


class RMSpropGravesRule(UpdateRule):
    """Graves' RMSprop: running averages ``n`` of grad**2 and ``g`` of grad, with momentum.

    ``delta = momentum * delta - lr * grad / sqrt(n - g**2 + eps)``; ``param += delta``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        alpha: Exponential decay rate of the averages.
        momentum: Exponential decay rate of the step.
        eps: Small value for numerical stability.
    """

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None, alpha: float | None = None,
                 momentum: float | None = None, eps: float | None = None) -> None:
        super().__init__(parent_hyperparam or _graves_defaults)
        set_entries(self.hyperparam, lr=lr, alpha=alpha, momentum=momentum, eps=eps)

    def init_state(self, param: Any) -> None:
        xp = param.xp
        for name in ('n', 'g', 'delta'):
            self.state[name] = xp.zeros_like(param.array)

    def update_core(self, param: Any) -> None:
        hp, grad, xp = self.hyperparam, param.grad, param.xp
        alpha = float(hp.alpha)
        n = alpha * self.state['n'] + (1 - alpha) * grad * grad
        g = alpha * self.state['g'] + (1 - alpha) * grad
        delta = (float(hp.momentum) * self.state['delta']
                 - float(hp.lr) * grad / xp.sqrt(n - g * g + float(hp.eps)))
        self.state['n'] = n
        self.state['g'] = g
        self.state['delta'] = delta
        param.array = param.array + delta


class RMSpropGraves(GradientMethod):
    """Graves' RMSprop ("Generating Sequences With Recurrent Neural Networks", 2013).

    Args:
        lr: Learning rate.
        alpha: Exponential decay rate of the averages.
        momentum: Exponential decay rate of the step.
        eps: Small value for numerical stability.
    """

    lr = HyperparameterProxy('lr')
    alpha = HyperparameterProxy('alpha')
    momentum = HyperparameterProxy('momentum')
    eps = HyperparameterProxy('eps')

    def __init__(self, lr: float = _graves_defaults.lr, alpha: float = _graves_defaults.alpha,
                 momentum: float = _graves_defaults.momentum,
                 eps: float = _graves_defaults.eps) -> None:
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.alpha = alpha
        self.hyperparam.momentum = momentum
        self.hyperparam.eps = eps

    def create_update_rule(self) -> RMSpropGravesRule:
        return RMSpropGravesRule(self.hyperparam)
