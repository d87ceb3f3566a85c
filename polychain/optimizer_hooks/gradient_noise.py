"""Annealed Gaussian noise added to the gradients."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from polychain.optimizer_hooks.gradient_assignment import assign_grad


def _decayed_std(hook: Any, rule: Any) -> float:
    """``sqrt(hook.eta / (1 + rule.t) ** 0.55)``."""
    return math.sqrt(hook.eta / math.pow(1 + rule.t, 0.55))


def exponential_decay_noise(xp: Any, shape: tuple[int, ...], dtype: Any, hook: Any,
                            opt: Any) -> Any:
    """Gaussian noise of variance ``hook.eta / (1 + opt.t) ** 0.55``, drawn from ``xp.random``.

    From "Adding Gradient Noise Improves Learning for Very Deep Networks"
    (Neelakantan et al., 2015). As :class:`GradientNoise`'s default it is
    drawn from the parameter's device generator instead, so that
    ``device.seed`` makes runs repeatable on every backend.

    Args:
        xp: The array module of the parameter (``device.xp``).
        shape: The shape of the noise.
        dtype: Its dtype.
        hook: The :class:`GradientNoise` hook (gives ``eta``).
        opt: The update rule (gives ``t``, the number of its updates).
    """
    return xp.random.normal(loc=0.0, scale=_decayed_std(hook, opt), size=shape).astype(dtype)


class GradientNoise:
    """Adds noise from ``noise_func`` to each gradient.

    Args:
        eta: Scale of the noise (used by the default ``noise_func``).
        noise_func: Called as ``noise_func(xp, shape, dtype, hook, rule)``
            with the parameter's array module ``xp``; returns an array of it.

    Attributes:
        timing: ``'pre'``: it runs before the parameters are updated.
        call_for_each_param: ``True``: it is called as ``hook(rule, param)``.
    """

    name = 'GradientNoise'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, eta: float,
                 noise_func: Callable[..., Any] = exponential_decay_noise) -> None:
        self.eta = eta
        self.noise_func = noise_func

    def __call__(self, rule: Any, param: Any) -> None:
        g = param.grad
        if g is None:
            return
        device, shape = param.device, tuple(g.shape)
        if self.noise_func is exponential_decay_noise:
            noise = device.random.normal(shape, g.dtype, 0.0, _decayed_std(self, rule))
        else:
            # As Chainer, within the device; sent there too, for libraries whose xp creates
            # arrays on a default device rather than the current one.
            with device.create_context():
                noise = device.send(self.noise_func(device.xp, shape, g.dtype, self, rule))
        assign_grad(param, g + noise)
