"""WeightStandardization: standardize a link's weight over every axis but the output one."""

from __future__ import annotations

from typing import Any

from polychain import functions as F
from polychain.link_hooks.reparametrized_weight import ReparametrizedWeightHook
from polychain.parameter import Parameter
from polychain.variable import Variable


def standardize(x: Any, eps: float = 1e-6) -> Variable:
    """``(x - mean) / (std + eps)`` with statistics over every axis but the first.

    ``std`` is the biased standard deviation. Where it is zero (a constant
    row) the gradient through it is taken as zero rather than NaN.

    Args:
        x: Variable or array with at least two axes.
        eps: Added to the standard deviation.
    """
    if x.ndim < 2:
        raise ValueError(f'standardize: expected an input with at least 2 axes, received '
                         f'the shape {tuple(x.shape)}')
    axes = tuple(range(1, x.ndim))
    centered = x - F.mean(x, axis=axes, keepdims=True)
    variance = F.mean(F.square(centered), axis=axes, keepdims=True)
    return centered / (_sqrt_zero_safe(variance) + eps)


def _sqrt_zero_safe(x: Variable) -> Variable:
    """``sqrt(x)`` whose gradient is zero, not infinite, where ``x`` is zero."""
    xp = x.device.namespace
    positive = x.array > 0
    ones = xp.ones_like(x.array)
    return F.where(positive, F.sqrt(F.where(positive, x, ones)), xp.zeros_like(x.array))


class WeightStandardization(ReparametrizedWeightHook):
    """Weight standardization: each call uses the weight standardized per output.

    The mean and the standard deviation are taken over every axis of the
    weight but axis 0 (output channels or units), and the call uses
    ``(W - mean) / (std + eps)``, computed with polychain functions so that
    gradients reach ``W``. Meant for convolutions followed by group or batch
    normalization; works with any link whose weight has at least 2 axes.

    See: S. Qiao et al., `Weight Standardization
    <https://arxiv.org/abs/1903.10520>`_.

    Args:
        eps: Added to the standard deviation for numerical stability.
        weight_name: Name of the link's weight.
        name: Name of the hook (default ``'WeightStandardization'``).
    """

    name = 'WeightStandardization'

    def __init__(self, eps: float = 1e-6, weight_name: str = 'W',
                 name: str | None = None) -> None:
        super().__init__(weight_name, name)
        self.eps = eps

    def reparametrize(self, link: Any, weight: Parameter) -> Variable:
        return standardize(weight, self.eps)
