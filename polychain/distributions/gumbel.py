"""The Gumbel distribution (of maxima)."""

from __future__ import annotations

import math
from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import Distribution, as_parameter, broadcast_parameters
from polychain.distributions.kl import register_kl
from polychain.variable import Variable

_EULER_GAMMA = 0.5772156649015329


class Gumbel(Distribution):
    """Gumbel distribution: :math:`p(x) = \\frac{1}{\\beta} e^{-(z + e^{-z})}`.

    Here :math:`z = (x - \\mu) / \\beta`. Samples are reparameterised
    (``loc + scale * eps`` with a standard Gumbel ``eps``).

    Args:
        loc (~polychain.Variable or array): The location :math:`\\mu`.
        scale (~polychain.Variable or array): The scale :math:`\\beta > 0`.
    """

    _param_names = ('loc', 'scale')

    def __init__(self, loc: Any, scale: Any) -> None:
        self.loc, self.scale = broadcast_parameters(
            'Gumbel', loc=as_parameter('Gumbel', 'loc', loc),
            scale=as_parameter('Gumbel', 'scale', scale))

    @property
    def mean(self) -> Variable:
        return self.loc + _EULER_GAMMA * self.scale

    @property
    def mode(self) -> Variable:
        return self.loc

    @property
    def variance(self) -> Variable:
        return (math.pi ** 2 / 6) * F.square(self.scale)

    @property
    def entropy(self) -> Variable:
        return F.log(self.scale) + (_EULER_GAMMA + 1.0)

    @property
    def support(self) -> str:
        return 'real'

    def _standardize(self, x: Any) -> Variable:
        return (self._as_input(x) - self.loc) / self.scale

    def log_prob(self, x: Any) -> Variable:
        z = self._standardize(x)
        return -F.log(self.scale) - z - F.exp(-z)

    def cdf(self, x: Any) -> Variable:
        return F.exp(-F.exp(-self._standardize(x)))

    def icdf(self, x: Any) -> Variable:
        return self.loc - self.scale * F.log(-F.log(self._as_input(x)))

    def sample_n(self, n: int) -> Variable:
        eps = self._host_draw(numpy.random.gumbel, (n,) + self.batch_shape)
        return self.loc + self.scale * eps


@register_kl(Gumbel, Gumbel)
def _kl_gumbel_gumbel(dist1: Gumbel, dist2: Gumbel) -> Variable:
    # E1[log p1] = -log b1 - gamma - 1; with x = l1 + b1 g (g standard Gumbel),
    # E1[(x - l2) / b2] = (l1 - l2) / b2 + gamma b1 / b2 and E1[exp(-(x - l2) / b2)]
    # = exp((l2 - l1) / b2) Gamma(1 + b1 / b2).
    ratio = dist1.scale / dist2.scale
    shift = (dist1.loc - dist2.loc) / dist2.scale
    return (-F.log(ratio) + _EULER_GAMMA * (ratio - 1.0) - 1.0 + shift
            + F.exp(F.lgamma(ratio + 1.0) - shift))
