"""AdaGrad and AdaDelta."""

from __future__ import annotations

from typing import Any

from polychain.optimizer import (
    GradientMethod,
    Hyperparameter,
    HyperparameterProxy,
    UpdateRule,
    set_entries,
)

_adagrad_defaults = Hyperparameter()
_adagrad_defaults.lr = 0.001
_adagrad_defaults.eps = 1e-8

_adadelta_defaults = Hyperparameter()
_adadelta_defaults.rho = 0.95
_adadelta_defaults.eps = 1e-6


class AdaGradRule(UpdateRule):
    """``h += grad**2``; ``param -= lr * grad / (sqrt(h) + eps)``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        eps: Small value for numerical stability.
    """

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None, eps: float | None = None) -> None:
        super().__init__(parent_hyperparam or _adagrad_defaults)
        set_entries(self.hyperparam, lr=lr, eps=eps)

    def init_state(self, param: Any) -> None:
        self.state['h'] = param.xp.zeros_like(param.array)

    def update_core(self, param: Any) -> None:
        hp, grad, xp = self.hyperparam, param.grad, param.xp
        h = self.state['h'] + grad * grad
        self.state['h'] = h
        param.array = param.array - float(hp.lr) * grad / (xp.sqrt(h) + float(hp.eps))


class AdaGrad(GradientMethod):
    """AdaGrad (Duchi et al., 2011).

    Args:
        lr: Learning rate.
        eps: Small value for numerical stability.
    """

    lr = HyperparameterProxy('lr')
    eps = HyperparameterProxy('eps')

    def __init__(self, lr: float = _adagrad_defaults.lr,
                 eps: float = _adagrad_defaults.eps) -> None:
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.eps = eps

    def create_update_rule(self) -> AdaGradRule:
        return AdaGradRule(self.hyperparam)


class AdaDeltaRule(UpdateRule):
    """AdaDelta's rule: running averages ``msg`` of grad**2 and ``msdx`` of step**2.

    ``msg = rho * msg + (1 - rho) * grad**2``;
    ``dx = sqrt((msdx + eps) / (msg + eps)) * grad``;
    ``msdx = rho * msdx + (1 - rho) * dx**2``; ``param -= dx``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        rho: Exponential decay rate of the averages.
        eps: Small value for numerical stability.
    """

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 rho: float | None = None, eps: float | None = None) -> None:
        super().__init__(parent_hyperparam or _adadelta_defaults)
        set_entries(self.hyperparam, rho=rho, eps=eps)

    def init_state(self, param: Any) -> None:
        xp = param.xp
        self.state['msg'] = xp.zeros_like(param.array)
        self.state['msdx'] = xp.zeros_like(param.array)

    def update_core(self, param: Any) -> None:
        hp, grad, xp = self.hyperparam, param.grad, param.xp
        rho, eps = float(hp.rho), float(hp.eps)
        msg = rho * self.state['msg'] + (1 - rho) * grad * grad
        dx = xp.sqrt((self.state['msdx'] + eps) / (msg + eps)) * grad
        self.state['msg'] = msg
        self.state['msdx'] = rho * self.state['msdx'] + (1 - rho) * dx * dx
        param.array = param.array - dx


class AdaDelta(GradientMethod):
    """AdaDelta (Zeiler, 2012).

    Args:
        rho: Exponential decay rate of the averages.
        eps: Small value for numerical stability.
    """

    rho = HyperparameterProxy('rho')
    eps = HyperparameterProxy('eps')

    def __init__(self, rho: float = _adadelta_defaults.rho,
                 eps: float = _adadelta_defaults.eps) -> None:
        super().__init__()
        self.hyperparam.rho = rho
        self.hyperparam.eps = eps

    def create_update_rule(self) -> AdaDeltaRule:
        return AdaDeltaRule(self.hyperparam)
