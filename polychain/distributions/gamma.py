"""The gamma distribution."""

from __future__ import annotations

from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import (
    Distribution,
    as_parameter,
    broadcast_parameters,
    constant_where,
)
from polychain.distributions.kl import register_kl
from polychain.variable import Variable


class Gamma(Distribution):
    """Gamma distribution with shape :math:`k` and scale :math:`\\theta`.

    The density is :math:`p(x) = x^{k-1} e^{-x/\\theta} / (\\Gamma(k)\\theta^k)` for
    :math:`x \\geq 0`. Samples are ``theta * g`` with ``g`` drawn on the host by
    ``numpy.random.gamma(k)``: differentiable with respect to ``theta`` only.

    Args:
        k (~polychain.Variable or array): The shape parameter :math:`k > 0`.
        theta (~polychain.Variable or array): The scale parameter :math:`\\theta > 0`.
    """

    _param_names = ('k', 'theta')

    def __init__(self, k: Any, theta: Any) -> None:
        self.k, self.theta = broadcast_parameters(
            'Gamma', k=as_parameter('Gamma', 'k', k), theta=as_parameter('Gamma', 'theta', theta))

    @property
    def mean(self) -> Variable:
        return self.k * self.theta

    @property
    def variance(self) -> Variable:
        return self.k * F.square(self.theta)

    @property
    def entropy(self) -> Variable:
        k = self.k
        return k + F.log(self.theta) + F.lgamma(k) + (1.0 - k) * F.digamma(k)

    @property
    def support(self) -> str:
        return 'positive'

    def log_prob(self, x: Any) -> Variable:
        x = self._as_input(x)
        inside = x.array >= 0
        x = constant_where(inside, x, 1.0)  # keeps logs finite outside the support
        k, theta = self.k, self.theta
        log_density = ((k - 1.0) * F.log(x) - x / theta - F.lgamma(k) - k * F.log(theta))
        return constant_where(inside, log_density, -numpy.inf)

    def sample_n(self, n: int) -> Variable:
        g = self._host_draw(numpy.random.gamma, (n,) + self.batch_shape, self.k)
        return self.theta * g


@register_kl(Gamma, Gamma)
def _kl_gamma_gamma(dist1: Gamma, dist2: Gamma) -> Variable:
    k1, t1, k2, t2 = dist1.k, dist1.theta, dist2.k, dist2.theta
    return ((k1 - k2) * F.digamma(k1) - F.lgamma(k1) + F.lgamma(k2)
            + k2 * (F.log(t2) - F.log(t1)) + k1 * (t1 - t2) / t2)
