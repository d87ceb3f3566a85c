"""M-SVAG."""

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
_default_hyperparam.lr = 0.1
_default_hyperparam.beta = 0.9
_default_hyperparam.eta = 1.0
_default_hyperparam.weight_decay_rate = 0


class MSVAGRule(UpdateRule):
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

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None, beta: float | None = None, eta: float | None = None,
                 weight_decay_rate: float | None = None) -> None:
        super().__init__(parent_hyperparam or _default_hyperparam)
        set_entries(self.hyperparam, lr=lr, beta=beta, eta=eta,
                    weight_decay_rate=weight_decay_rate)

    def init_state(self, param: Any) -> None:
        xp = param.xp
        self.state['m'] = xp.zeros_like(param.array)
        self.state['v'] = xp.zeros_like(param.array)

    def update_core(self, param: Any) -> None:
        hp, grad, xp = self.hyperparam, param.grad, param.xp
        beta = float(hp.beta)
        beta_power = beta ** self.t
        rho = min((1 - beta) ** 2 * (1 - beta_power ** 2)
                  / ((1 - beta_power) ** 2 * (1 - beta ** 2)), 0.9999)
        m = self.state['m'] + (1 - beta) * (grad - self.state['m'])
        v = self.state['v'] + (1 - beta) * (grad * grad - self.state['v'])
        self.state['m'] = m
        self.state['v'] = v
        mt = m / (1 - beta_power)
        vt = v / (1 - beta_power)
        mt2 = mt * mt
        denominator = mt2 + rho * (vt - mt2) / (1 - rho)
        undefined = denominator == 0
        ratio = mt2 / xp.where(undefined, xp.ones_like(denominator), denominator)
        factor = xp.where(undefined, xp.zeros_like(ratio), xp.clip(ratio, 0.0, 1.0))
        param.array = param.array - float(hp.eta) * (
            float(hp.lr) * mt * factor + float(hp.weight_decay_rate) * param.array)


class MSVAG(GradientMethod):
    """M-SVAG (Balles and Hennig, 2018, "Dissecting Adam").

    Args:
        lr: Learning rate.
        beta: Exponential decay rate of the moments.
        eta: Schedule multiplier (for warm restarts).
        weight_decay_rate: Decoupled weight decay rate.
    """

    lr = HyperparameterProxy('lr')
    beta = HyperparameterProxy('beta')
    eta = HyperparameterProxy('eta')
    weight_decay_rate = HyperparameterProxy('weight_decay_rate')

    def __init__(self, lr: float = _default_hyperparam.lr,
                 beta: float = _default_hyperparam.beta,
                 eta: float = _default_hyperparam.eta,
                 weight_decay_rate: float = _default_hyperparam.weight_decay_rate) -> None:
        super().__init__()
        set_entries(self.hyperparam, lr=lr, beta=beta, eta=eta,
                    weight_decay_rate=weight_decay_rate)

    def create_update_rule(self) -> MSVAGRule:
        return MSVAGRule(self.hyperparam)
