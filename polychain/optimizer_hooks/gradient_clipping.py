"""Gradient clipping: by the global L2 norm, or element-wise between bounds."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.optimizer_hooks.gradient_assignment import assign_grad


class GradientClipping:
    """Rescales all gradients so that their global L2 norm is at most ``threshold``.

    The rate ``min(1, threshold / norm)`` stays on the device: no value is
    read back to the host.

    Args:
        threshold: The largest L2 norm of all gradients together.

    Attributes:
        timing: ``'pre'``: it runs before the parameters are updated.
        call_for_each_param: ``False``: it is called once as ``hook(optimizer)``.
    """

    name = 'GradientClipping'
    call_for_each_param = False
    timing = 'pre'

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold

    def __call__(self, opt: Any) -> None:
        params = [p for p in opt.target.params(include_uninit=False) if p.grad is not None]
        if not params:
            return
        device = params[0].device
        xp = device.namespace
        sqnorm = None
        for param in params:
            g = param.grad
            part = device.send(param.device.namespace.sum(g * g))
            sqnorm = part if sqnorm is None else sqnorm + part
        norm = xp.sqrt(sqnorm)
        tiny = float(numpy.finfo(numpy.float64).tiny)
        rate = xp.clip(float(self.threshold) / xp.clip(norm, min=tiny), max=1.0)
        for param in params:
            g = param.grad
            assign_grad(param, g * param.device.namespace.astype(param.device.send(rate), g.dtype))


class GradientHardClipping:
    """Clips every gradient element into ``[lower_bound, upper_bound]``.

    Args:
        lower_bound: The smallest value a gradient element keeps.
        upper_bound: The largest value a gradient element keeps.

    Attributes:
        timing: ``'pre'``: it runs before the parameters are updated.
        call_for_each_param: ``True``: it is called as ``hook(rule, param)``.
    """

    name = 'GradientHardClipping'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, lower_bound: float, upper_bound: float) -> None:
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound

    def __call__(self, rule: Any, param: Any) -> None:
        g = param.grad
        if g is None:
            return
        xp = param.device.namespace
        assign_grad(param, xp.clip(g, float(self.lower_bound), float(self.upper_bound)))
