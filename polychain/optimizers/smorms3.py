"""SMORMS3."""

from __future__ import annotations

from typing import Any

from polychain.optimizer import Hyperparameter, HyperparameterProxy
from polychain.optimizers.rule_method import DefaultedRule, RuleMethod, default_hyperparam

_default_hyperparam = default_hyperparam(lr=0.001, eps=1e-16)


class SMORMS3Rule(DefaultedRule):
    """SMORMS3's rule: a memory ``mem`` that sets the averaging rate of ``g`` and ``g2``.

    ``r = 1 / (mem + 1)``; ``g = (1 - r) * g + r * grad``;
    ``g2 = (1 - r) * g2 + r * grad**2``; ``x = g**2 / (g2 + eps)``;
    ``param -= grad * min(lr, x) / (sqrt(g2) + eps)``; ``mem = 1 + mem * (1 - x)``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        lr: Learning rate.
        eps: Small value for numerical stability.
    """

    defaults = _default_hyperparam
    zero_states = ('g', 'g2')

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 lr: float | None = None, eps: float | None = None) -> None:
        super().__init__(parent_hyperparam, lr=lr, eps=eps)

    def init_state(self, param: Any) -> None:
        self.state['mem'] = param.device.namespace.ones_like(param.array)
        super().init_state(param)

    def update_array(self, param: Any) -> None:
        hp, grad, xp = self.hyperparam, param.grad, param.device.namespace
        eps, mem = float(hp.eps), self.state['mem']
        r = 1 / (mem + 1)
        g = (1 - r) * self.state['g'] + r * grad
        g2 = (1 - r) * self.state['g2'] + r * grad * grad
        x = g * g / (g2 + eps)
        param.array = param.array - grad * xp.clip(x, max=float(hp.lr)) / (xp.sqrt(g2) + eps)
        self.state['mem'] = 1 + mem * (1 - x)
        self.state['g'] = g
        self.state['g2'] = g2


class SMORMS3(RuleMethod):
    """SMORMS3 (Funk, 2015, "RMSprop loses to SMORMS3").

    Args:
        lr: Learning rate.
        eps: Small value for numerical stability.
    """

    rule_class = SMORMS3Rule
    lr = HyperparameterProxy('lr')
    eps = HyperparameterProxy('eps')

    def __init__(self, lr: float = _default_hyperparam.lr,
                 eps: float = _default_hyperparam.eps) -> None:
        super().__init__(lr=lr, eps=eps)
