"""M-SVAG."""

from __future__ import annotations

from typing import Any

from polychain.optimizer import Hyperparameter, HyperparameterProxy
from polychain.optimizers.rule_method import (
    DefaultedRule,
    RuleMethod,
    default_hyperparam,
    take_decoupled_step,
    update_moments,
)

_default_hyperparam = default_hyperparam(lr=0.1, beta=0.9, eta=1.0, weight_decay_rate=0)


class MSVAGRule(DefaultedRule):
    """M-SVAG's rule: SGD on the bias-corrected mean, damped by its estimated variance.

    With ``b = beta**t``: ``rho = min((1 - beta)**2 * (1 - b**2) / ((1 - b)**2 *
    (1 - beta**2)), 0.9999)``; ``m``, ``v`` are running averages of grad and
    grad**2; ``mt = m / (1 - b)``, ``vt = v / (1 - b)``;
    ``s = (vt - mt**2) / (1 - rho)``; ``factor = clip(mt**2 / (mt**2 + rho * s), 0, 1)``
    (0 where undefined); ``param -= eta * (lr * mt * factor + weight_decay_rate * param)``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        beta: Exponential decay rate of the moments.
        eta: Schedule multiplier (for warm restarts).
        weight_decay_rate: Decoupled weight decay rate.
    """

    defaults = _default_hyperparam
    zero_states = ('m', 'v')

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None, beta: float | None = None, eta: float | None = None,
                 weight_decay_rate: float | None = None) -> None:
        super().__init__(parent_hyperparam, lr=lr, beta=beta, eta=eta,
                         weight_decay_rate=weight_decay_rate)

    def update_array(self, param: Any) -> None:
        hp, grad, xp = self.hyperparam, param.grad, param.device.namespace
        beta = float(hp.beta)
        beta_power = beta ** self.t
        rho = min((1 - beta) ** 2 * (1 - beta_power ** 2)
                  / ((1 - beta_power) ** 2 * (1 - beta ** 2)), 0.9999)
        m, v = update_moments(self, grad, beta, beta)
        mt = m / (1 - beta_power)
        vt = v / (1 - beta_power)
        mt2 = mt * mt
        denominator = mt2 + rho * (vt - mt2) / (1 - rho)
        undefined = denominator == 0
        ratio = mt2 / xp.where(undefined, xp.ones_like(denominator), denominator)
        factor = xp.where(undefined, xp.zeros_like(ratio), xp.clip(ratio, 0.0, 1.0))
        take_decoupled_step(param, float(hp.lr) * mt * factor, hp)


class MSVAG(RuleMethod):
    """M-SVAG (Balles and Hennig, 2018, "Dissecting Adam").

    Args:
        lr: Learning rate.
        beta: Exponential decay rate of the moments.
        eta: Schedule multiplier (for warm restarts).
        weight_decay_rate: Decoupled weight decay rate.
    """

    rule_class = MSVAGRule
    lr = HyperparameterProxy('lr')
    beta = HyperparameterProxy('beta')
    eta = HyperparameterProxy('eta')
    weight_decay_rate = HyperparameterProxy('weight_decay_rate')

    def __init__(self, lr: float = _default_hyperparam.lr,
                 beta: float = _default_hyperparam.beta,
                 eta: float = _default_hyperparam.eta,
                 weight_decay_rate: float = _default_hyperparam.weight_decay_rate) -> None:
        super().__init__(lr=lr, beta=beta, eta=eta, weight_decay_rate=weight_decay_rate)
