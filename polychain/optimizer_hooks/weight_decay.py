"""Regularisation hooks: L2 (weight decay) and L1 (lasso) terms added to the gradients."""

from __future__ import annotations

from typing import Any

from polychain.optimizer_hooks.gradient_assignment import assign_grad


class _Penalty:
    """Adds ``rate`` times the gradient of a penalty on each parameter to its gradient.

    Subclasses give :meth:`penalty_grad`.

    Args:
        rate: Coefficient of the penalty.

    Attributes:
        timing: ``'pre'``: it runs before the parameters are updated.
        call_for_each_param: ``True``: it is called as ``hook(rule, param)``.
    """

    call_for_each_param = True
    timing = 'pre'

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def penalty_grad(self, xp: Any, p: Any) -> Any:
        """The penalty's gradient at the parameter array ``p``."""
        raise NotImplementedError(f'{type(self).__name__} must implement penalty_grad(xp, p)')

    def __call__(self, rule: Any, param: Any) -> None:
        p, g = param.array, param.grad
        if p is None or g is None:
            return
        rate = float(self.rate)
        loss_scale = getattr(param, '_loss_scale', None)
        if loss_scale is not None:  # the gradient is still scaled; the rule divides it later
            rate *= loss_scale
        assign_grad(param, g + rate * self.penalty_grad(param.device.namespace, p))


class WeightDecay(_Penalty):
    """Adds ``rate * param`` to each gradient (L2 regularisation).

    Args:
        rate: Coefficient of the decay.

    Attributes:
        timing: ``'pre'``: it runs before the parameters are updated.
        call_for_each_param: ``True``: it is called as ``hook(rule, param)``.
    """

    name = 'WeightDecay'

    def penalty_grad(self, xp: Any, p: Any) -> Any:
        return p


class Lasso(_Penalty):
    """Adds ``rate * sign(param)`` to each gradient (L1 regularisation).

    Args:
        rate: Coefficient of the term.

    Attributes:
        timing: ``'pre'``: it runs before the parameters are updated.
        call_for_each_param: ``True``: it is called as ``hook(rule, param)``.
    """

    name = 'Lasso'

    def penalty_grad(self, xp: Any, p: Any) -> Any:
        return xp.sign(p)
