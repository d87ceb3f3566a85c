"""The log-normal distribution."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import (
    Distribution,
    as_parameter,
    broadcast_parameters,
    constant_where,
)
from polychain.distributions.kl import kl_divergence, register_kl
from polychain.distributions.normal import Normal
from polychain.variable import Variable


class LogNormal(Distribution):
    """Log-normal distribution: :math:`\\log x` is normal (mean :math:`\\mu`, s.d. :math:`\\sigma`)

    Samples are reparameterised (``exp(mu + sigma * eps)``).

    Args:
        mu (~polychain.Variable or array): The mean :math:`\\mu` of :math:`\\log x`.
        sigma (~polychain.Variable or array): The standard deviation :math:`\\sigma > 0` of
            :math:`\\log x`.
    """

    _param_names = ('mu', 'sigma')

    def __init__(self, mu: Any, sigma: Any) -> None:
        self.mu, self.sigma = broadcast_parameters(
            'LogNormal', mu=as_parameter('LogNormal', 'mu', mu),
            sigma=as_parameter('LogNormal', 'sigma', sigma))

    @cached_property
    def _normal(self) -> Normal:
        """The normal distribution of :math:`\\log x`."""
        return Normal(self.mu, self.sigma)

    @property
    def mean(self) -> Variable:
        return F.exp(self.mu + 0.5 * F.square(self.sigma))

    @property
    def variance(self) -> Variable:
        sigma2 = F.square(self.sigma)
        return F.expm1(sigma2) * F.exp(2.0 * self.mu + sigma2)

    @property
    def entropy(self) -> Variable:
        return self._normal.entropy + self.mu

    @property
    def support(self) -> str:
        return 'positive'

    def log_prob(self, x: Any) -> Variable:
        x = self._as_input(x)
        inside = x.array > 0
        log_x = F.log(constant_where(inside, x, 1.0))  # keeps logs finite outside the support
        return constant_where(inside, self._normal.log_prob(log_x) - log_x, -numpy.inf)

    def sample_n(self, n: int) -> Variable:
        return F.exp(self._normal.sample_n(n))


@register_kl(LogNormal, LogNormal)
def _kl_log_normal_log_normal(dist1: LogNormal, dist2: LogNormal) -> Variable:
    # KL is invariant under the bijection log: it is the KL of the normals of log x.
    return kl_divergence(dist1._normal, dist2._normal)
