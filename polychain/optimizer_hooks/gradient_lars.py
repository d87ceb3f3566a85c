"""Layer-wise adaptive rate scaling (LARS) of the gradients."""

from __future__ import annotations

from typing import Any

from polychain.optimizer_hooks.gradient_assignment import assign_grad


class GradientLARS:
    """Scales each gradient by the ratio of its parameter's norm to the gradient's norm.

    With ``p_norm = ||param||`` and ``g_norm = ||grad||``, the gradient
    becomes ``rate * (grad + weight_decay * param)`` where ``rate`` is
    ``p_norm / (eps + g_norm + weight_decay * p_norm)`` when ``p_norm``
    exceeds ``threshold`` and 1 otherwise (You et al., 2017, "Large Batch
    Training of Convolutional Networks").

    Args:
        threshold: The parameter norm above which the gradient is rescaled.
        weight_decay: Coefficient of the weight decay.
        eps: Small value for numerical stability.

    Attributes:
        timing: ``'pre'``: it runs before the parameters are updated.
        call_for_each_param: ``True``: it is called as ``hook(rule, param)``.
    """

    name = 'GradientLARS'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, threshold: float = 1e-2, weight_decay: float = 0.0,
                 eps: float = 1e-9) -> None:
        self.threshold = threshold
        self.weight_decay = weight_decay
        self.eps = eps

    def __call__(self, rule: Any, param: Any) -> None:
        p, g = param.array, param.grad
        if p is None or g is None:
            return
        xp = param.device.namespace
        decay = float(self.weight_decay)
        p_norm = xp.sqrt(xp.sum(p * p))
        g_norm = xp.sqrt(xp.sum(g * g))
        local_rate = p_norm / (float(self.eps) + g_norm + decay * p_norm)
        rate = xp.where(p_norm > float(self.threshold), local_rate, xp.ones_like(local_rate))
        assign_grad(param, rate * (g + decay * p))
