"""The Laplace distribution."""

from __future__ import annotations

import math
from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import Distribution, as_parameter, broadcast_parameters
from polychain.distributions.kl import register_kl
from polychain.variable import Variable, as_variable


def _laplace_cdf(x: Any) -> Variable:
    """The cdf of the standard Laplace distribution, ``1/2 + sign(x) (1 - e^{-|x|}) / 2``."""
    x = as_variable(x)
    sign = x.device.namespace.sign(x.array)
    return 0.5 - 0.5 * (F.expm1(-F.absolute(x)) * sign)


def _laplace_icdf(x: Any) -> Variable:
    """The inverse cdf of the standard Laplace distribution."""
    centred = as_variable(x) - 0.5
    sign = centred.device.namespace.sign(centred.array)
    return -(F.log1p(-2.0 * F.absolute(centred)) * sign)


class Laplace(Distribution):
    """Laplace distribution: :math:`p(x) = \\frac{1}{2b} e^{-|x - \\mu| / b}`.

    Samples are reparameterised (``loc + scale * eps``).

    Args:
        loc (~polychain.Variable or array): The location :math:`\\mu`.
        scale (~polychain.Variable or array): The scale :math:`b > 0`.
    """

    _param_names = ('loc', 'scale')

    def __init__(self, loc: Any, scale: Any) -> None:
        self.loc, self.scale = broadcast_parameters(
            'Laplace', loc=as_parameter('Laplace', 'loc', loc),
            scale=as_parameter('Laplace', 'scale', scale))

    @property
    def mean(self) -> Variable:
        return self.loc

    @property
    def mode(self) -> Variable:
        return self.loc

    @property
    def variance(self) -> Variable:
        return 2.0 * F.square(self.scale)

    @property
    def stddev(self) -> Variable:
        return math.sqrt(2.0) * self.scale

    @property
    def entropy(self) -> Variable:
        return F.log(self.scale) + (1.0 + math.log(2.0))

    @property
    def support(self) -> str:
        return 'real'

    def _standardize(self, x: Any) -> Variable:
        return (self._as_input(x) - self.loc) / self.scale

    def log_prob(self, x: Any) -> Variable:
        return -F.absolute(self._standardize(x)) - F.log(self.scale) - math.log(2.0)

    def cdf(self, x: Any) -> Variable:
        return _laplace_cdf(self._standardize(x))

    def icdf(self, x: Any) -> Variable:
        return self.loc + self.scale * _laplace_icdf(self._as_input(x))

    def sample_n(self, n: int) -> Variable:
        eps = self._host_draw(numpy.random.laplace, (n,) + self.batch_shape)
        return self.loc + self.scale * eps


@register_kl(Laplace, Laplace)
def _kl_laplace_laplace(dist1: Laplace, dist2: Laplace) -> Variable:
    ratio = dist1.scale / dist2.scale
    distance = F.absolute(dist1.loc - dist2.loc)
    return (distance / dist2.scale + ratio * F.exp(-distance / dist1.scale)
            - F.log(ratio) - 1.0)
