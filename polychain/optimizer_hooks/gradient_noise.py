"""Annealed Gaussian noise added to the gradients."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any


def exponential_decay_noise(device: Any, shape: tuple[int, ...], dtype: Any, hook: Any,
                            rule: Any) -> Any:
    """Gaussian noise of variance ``hook.eta / (1 + rule.t) ** 0.55``.

    From "Adding Gradient Noise Improves Learning for Very Deep Networks"
    (Neelakantan et al., 2015). It is drawn from ``device.random``, the
    device's seeded generator.

    Args:
        device: The parameter's :class:`~polychain.backend.Device`.
        shape: The shape of the noise.
        dtype: Its dtype.
        hook: The :class:`GradientNoise` hook (gives ``eta``).
        rule: The update rule (gives ``t``, the number of its updates).
    """
    std = math.sqrt(hook.eta / math.pow(1 + rule.t, 0.55))
    return device.random.normal(tuple(shape), dtype, 0.0, std)


class GradientNoise:
    """Adds noise from ``noise_func`` to each gradient.

    Args:
        eta: Scale of the noise (used by the default ``noise_func``).
        noise_func: Called as ``noise_func(device, shape, dtype, hook, rule)``;
            returns an array on ``device``. ``device.random`` is the device's
            seeded generator and ``device.namespace`` its namespace.

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
        param.grad = g + self.noise_func(param.device, tuple(g.shape), g.dtype, self, rule)
