"""AdaGrad and AdaDelta."""

from __future__ import annotations

from typing import Any

from polychain.optimizer import Hyperparameter, HyperparameterProxy
from polychain.optimizers.rule_method import DefaultedRule, RuleMethod, default_hyperparam

_adagrad_defaults = default_hyperparam(lr=0.001, eps=1e-8)
_adadelta_defaults = default_hyperparam(rho=0.95, eps=1e-6)


class AdaGradRule(DefaultedRule):
    """``h += grad**2``; ``param -= lr * grad / (sqrt(h) + eps)``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        eps: Small value for numerical stability.
    """

    defaults = _adagrad_defaults
    zero_states = ('h',)

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None, eps: float | None = None) -> None:
        super().__init__(parent_hyperparam, lr=lr, eps=eps)

    def update_array(self, param: Any) -> None:
        hp, grad, xp = self.hyperparam, param.grad, param.device.namespace
        h = self.state['h'] + grad * grad
        self.state['h'] = h
        param.array = param.array - float(hp.lr) * grad / (xp.sqrt(h) + float(hp.eps))


class AdaGrad(RuleMethod):
    """AdaGrad (Duchi et al., 2011).

    Args:
        lr: Learning rate.
        eps: Small value for numerical stability.
    """

    rule_class = AdaGradRule
    lr = HyperparameterProxy('lr')
    eps = HyperparameterProxy('eps')

    def __init__(self, lr: float = _adagrad_defaults.lr,
                 eps: float = _adagrad_defaults.eps) -> None:
        super().__init__(lr=lr, eps=eps)


class AdaDeltaRule(DefaultedRule):
    """AdaDelta's rule: running averages ``msg`` of grad**2 and ``msdx`` of step**2.

    ``msg = rho * msg + (1 - rho) * grad**2``;
    ``dx = sqrt((msdx + eps) / (msg + eps)) * grad``;
    ``msdx = rho * msdx + (1 - rho) * dx**2``; ``param -= dx``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        rho: Exponential decay rate of the averages.
        eps: Small value for numerical stability.
    """

    defaults = _adadelta_defaults
    zero_states = ('msg', 'msdx')

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 rho: float | None = None, eps: float | None = None) -> None:
        super().__init__(parent_hyperparam, rho=rho, eps=eps)

    def update_array(self, param: Any) -> None:
        hp, grad, xp = self.hyperparam, param.grad, param.device.namespace
        rho, eps = float(hp.rho), float(hp.eps)
        msg = rho * self.state['msg'] + (1 - rho) * grad * grad
        dx = xp.sqrt((self.state['msdx'] + eps) / (msg + eps)) * grad
        self.state['msg'] = msg
        self.state['msdx'] = rho * self.state['msdx'] + (1 - rho) * dx * dx
        param.array = param.array - dx


class AdaDelta(RuleMethod):
    """AdaDelta (Zeiler, 2012).

    Args:
        rho: Exponential decay rate of the averages.
        eps: Small value for numerical stability.
    """

    rule_class = AdaDeltaRule
    rho = HyperparameterProxy('rho')
    eps = HyperparameterProxy('eps')

    def __init__(self, rho: float = _adadelta_defaults.rho,
                 eps: float = _adadelta_defaults.eps) -> None:
        super().__init__(rho=rho, eps=eps)
