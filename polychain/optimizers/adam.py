"""Adam and its variants: AdamW, AMSGrad, AdaBound and AMSBound."""

from __future__ import annotations

import math
from typing import Any

from polychain.optimizer import Hyperparameter, HyperparameterProxy
from polychain.optimizers.eps import check_eps
from polychain.optimizers.rule_method import (
    DefaultedRule,
    RuleMethod,
    default_hyperparam,
    take_decoupled_step,
    update_moments,
)

_default_hyperparam = default_hyperparam(
    alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, eta=1.0, weight_decay_rate=0, amsgrad=False,
    adabound=False, final_lr=0.1, gamma=1e-3)


def _learning_rate(hp: Hyperparameter, t: Any, owner: str) -> Any:
    """``alpha * sqrt(1 - beta2**t) / (1 - beta1**t)`` from the step count.

    ``t`` is an int, or a 0-d array in a compiled step (the result is then one too).
    """
    if isinstance(t, int) and t == 0:
        raise RuntimeError(f"{owner}: cannot give Adam's bias-corrected learning rate before "
                           f'the first update (t is 0)')
    fix1 = 1.0 - float(hp.beta1) ** t
    fix2 = 1.0 - float(hp.beta2) ** t
    root = math.sqrt(fix2) if isinstance(fix2, float) else fix2 ** 0.5
    return hp.alpha * root / fix1


class AdamRule(DefaultedRule):
    """Adam's rule, with decoupled weight decay, AMSGrad and AdaBound options.

    ``m += (1 - beta1) * (grad - m)``; ``v += (1 - beta2) * (grad**2 - v)``;
    ``vhat = max(vhat, v)`` with ``amsgrad`` (else ``v``);
    ``step = alpha_t / (sqrt(vhat) + eps)``, clipped into AdaBound's bounds
    with ``adabound``; ``param -= eta * (step * m + weight_decay_rate * param)``.

    Args:
        parent_hyperparam: The hyperparameter providing default values.
        alpha: Coefficient of the learning rate.
        beta1: Exponential decay rate of the first moment.
        beta2: Exponential decay rate of the second moment.
        eps: Small value for numerical stability.
        eta: Schedule multiplier (for warm restarts).
        weight_decay_rate: Decoupled weight decay rate.
        amsgrad: Use the AMSGrad variant.
        adabound: Use the AdaBound variant.
        final_lr: AdaBound's final (SGD) learning rate.
        gamma: AdaBound's convergence speed of the bounds.

    Attributes:
        initial_alpha: ``alpha`` at the first AdaBound update; the bounds
            follow later changes of ``alpha`` relative to it.
    """

    defaults = _default_hyperparam
    zero_states = ('m', 'v')
    half_in_float32 = True

    def __init__(self, parent_hyperparam: Hyperparameter | None = None,
                 alpha: float | None = None, beta1: float | None = None,
                 beta2: float | None = None, eps: float | None = None,
                 eta: float | None = None, weight_decay_rate: float | None = None,
                 amsgrad: bool | None = None, adabound: bool | None = None,
                 final_lr: float | None = None, gamma: float | None = None) -> None:
        super().__init__(parent_hyperparam, alpha=alpha, beta1=beta1, beta2=beta2, eps=eps,
                         eta=eta, weight_decay_rate=weight_decay_rate, amsgrad=amsgrad,
                         adabound=adabound, final_lr=final_lr, gamma=gamma)
        self.initial_alpha: float | None = None

    def init_state(self, param: Any) -> None:
        super().init_state(param)
        if self.hyperparam.amsgrad:
            self.state['vhat'] = param.device.namespace.zeros_like(param.array)

    @property
    def alpha_t(self) -> float:
        """The bias-corrected learning rate of the current step."""
        return _learning_rate(self.hyperparam, self.t, 'AdamRule.alpha_t')

    @property
    def lr(self) -> float:
        """The same as :attr:`alpha_t`."""
        return self.alpha_t

    def bounds(self) -> tuple[float, float]:
        """AdaBound's lower and upper bounds of the step at the current ``t``."""
        hp = self.hyperparam
        if self.initial_alpha is None:
            self.initial_alpha = hp.alpha
        final_lr = hp.final_lr * hp.alpha / self.initial_alpha
        lower = final_lr * (1.0 - 1.0 / (hp.gamma * self.t + 1))
        upper = final_lr * (1.0 + 1.0 / (hp.gamma * self.t))
        return lower, upper

    def update_array(self, param: Any) -> None:
        hp, grad, xp = self.hyperparam, param.grad, param.device.namespace
        eps, beta1, beta2 = float(hp.eps), float(hp.beta1), float(hp.beta2)
        check_eps('Adam', eps, grad.dtype, xp)
        m, v = update_moments(self, grad, beta1, beta2)
        vhat = v
        if hp.amsgrad:
            vhat = xp.maximum(self.state['vhat'], v)
            self.state['vhat'] = vhat
        step = self.alpha_t / (xp.sqrt(vhat) + eps)
        if hp.adabound:
            lower, upper = self.bounds()
            step = xp.clip(step, lower, upper)
        take_decoupled_step(param, step * m, hp)


class Adam(RuleMethod):
    """Adam (Kingma and Ba, 2014), with decoupled weight decay, AMSGrad and AdaBound options.

    With ``eta = 1`` and ``weight_decay_rate = 0`` it is the standard Adam;
    ``amsgrad`` and ``adabound`` together give AMSBound.

    Args:
        alpha: Coefficient of the learning rate.
        beta1: Exponential decay rate of the first moment.
        beta2: Exponential decay rate of the second moment.
        eps: Small value for numerical stability.
        eta: Schedule multiplier (for warm restarts).
        weight_decay_rate: Decoupled weight decay rate (Loshchilov and Hutter).
        amsgrad: Use the AMSGrad variant (Reddi et al.).
        adabound: Use the AdaBound variant (Luo et al.).
        final_lr: AdaBound's final (SGD) learning rate.
        gamma: AdaBound's convergence speed of the bounds.
    """

    rule_class = AdamRule
    alpha = HyperparameterProxy('alpha')
    beta1 = HyperparameterProxy('beta1')
    beta2 = HyperparameterProxy('beta2')
    eps = HyperparameterProxy('eps')
    eta = HyperparameterProxy('eta')
    weight_decay_rate = HyperparameterProxy('weight_decay_rate')
    amsgrad = HyperparameterProxy('amsgrad')
    adabound = HyperparameterProxy('adabound')
    final_lr = HyperparameterProxy('final_lr')
    gamma = HyperparameterProxy('gamma')

    def __init__(self, alpha: float = _default_hyperparam.alpha,
                 beta1: float = _default_hyperparam.beta1,
                 beta2: float = _default_hyperparam.beta2,
                 eps: float = _default_hyperparam.eps,
                 eta: float = _default_hyperparam.eta,
                 weight_decay_rate: float = _default_hyperparam.weight_decay_rate,
                 amsgrad: bool = _default_hyperparam.amsgrad,
                 adabound: bool = _default_hyperparam.adabound,
                 final_lr: float = _default_hyperparam.final_lr,
                 gamma: float = _default_hyperparam.gamma) -> None:
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                         weight_decay_rate=weight_decay_rate, amsgrad=amsgrad, adabound=adabound,
                         final_lr=final_lr, gamma=gamma)

    @property
    def alpha_t(self) -> float:
        """The bias-corrected learning rate at the optimizer's step ``t``."""
        return _learning_rate(self.hyperparam, self.t, f'{type(self).__name__}.alpha_t')

    @property
    def lr(self) -> float:
        """The same as :attr:`alpha_t` (what ``observe_lr`` reports)."""
        return self.alpha_t


class AdamW(Adam):
    """Adam with decoupled weight decay.

    Args:
        alpha: Coefficient of the learning rate.
        beta1: Exponential decay rate of the first moment.
        beta2: Exponential decay rate of the second moment.
        eps: Small value for numerical stability.
        eta: Schedule multiplier (for warm restarts).
        weight_decay_rate: Decoupled weight decay rate.
    """

    def __init__(self, alpha: float = _default_hyperparam.alpha,
                 beta1: float = _default_hyperparam.beta1,
                 beta2: float = _default_hyperparam.beta2,
                 eps: float = _default_hyperparam.eps,
                 eta: float = _default_hyperparam.eta,
                 weight_decay_rate: float = _default_hyperparam.weight_decay_rate) -> None:
        super().__init__(alpha, beta1, beta2, eps, eta, weight_decay_rate)


class AMSGrad(Adam):
    """Adam with AMSGrad's maximum of the second moments.

    Args:
        alpha: Coefficient of the learning rate.
        beta1: Exponential decay rate of the first moment.
        beta2: Exponential decay rate of the second moment.
        eps: Small value for numerical stability.
        eta: Schedule multiplier (for warm restarts).
    """

    def __init__(self, alpha: float = _default_hyperparam.alpha,
                 beta1: float = _default_hyperparam.beta1,
                 beta2: float = _default_hyperparam.beta2,
                 eps: float = _default_hyperparam.eps,
                 eta: float = _default_hyperparam.eta) -> None:
        super().__init__(alpha, beta1, beta2, eps, eta, amsgrad=True)


class _BoundedAdam(Adam):
    """Adam with AdaBound's bounds; ``with_amsgrad`` adds AMSGrad's maximum of the moments."""

    with_amsgrad = False

    def __init__(self, alpha: float = _default_hyperparam.alpha,
                 beta1: float = _default_hyperparam.beta1,
                 beta2: float = _default_hyperparam.beta2,
                 final_lr: float = _default_hyperparam.final_lr,
                 gamma: float = _default_hyperparam.gamma,
                 eps: float = _default_hyperparam.eps,
                 eta: float = _default_hyperparam.eta) -> None:
        super().__init__(alpha, beta1, beta2, eps, eta, amsgrad=self.with_amsgrad,
                         adabound=True, final_lr=final_lr, gamma=gamma)


class AdaBound(_BoundedAdam):
    """Adam whose step is clipped into bounds that converge to ``final_lr``.

    Args:
        alpha: Coefficient of the learning rate.
        beta1: Exponential decay rate of the first moment.
        beta2: Exponential decay rate of the second moment.
        final_lr: The final (SGD) learning rate.
        gamma: Convergence speed of the bounds.
        eps: Small value for numerical stability.
        eta: Schedule multiplier (for warm restarts).
    """


class AMSBound(_BoundedAdam):
    """AdaBound with AMSGrad's maximum of the second moments.

    Args:
        alpha: Coefficient of the learning rate.
        beta1: Exponential decay rate of the first moment.
        beta2: Exponential decay rate of the second moment.
        final_lr: The final (SGD) learning rate.
        gamma: Convergence speed of the bounds.
        eps: Small value for numerical stability.
        eta: Schedule multiplier (for warm restarts).
    """

    with_amsgrad = True
