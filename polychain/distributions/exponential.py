"""The exponential distribution."""

from __future__ import annotations

from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import Distribution, as_parameter, constant_where
from polychain.distributions.kl import register_kl
from polychain.variable import Variable


class Exponential(Distribution):
    """Exponential distribution: :math:`p(x) = \\lambda e^{-\\lambda x}` for :math:`x \\geq 0`.

    Samples are reparameterised (``eps / lam`` with a standard exponential ``eps``).

    Args:
        lam (~polychain.Variable or array): The rate :math:`\\lambda > 0`.
    """

    _param_names = ('lam',)

    def __init__(self, lam: Any) -> None:
        self.lam = as_parameter('Exponential', 'lam', lam)

    @property
    def mean(self) -> Variable:
        return 1.0 / self.lam

    @property
    def variance(self) -> Variable:
        return 1.0 / F.square(self.lam)

    @property
    def stddev(self) -> Variable:
        return 1.0 / self.lam

    @property
    def entropy(self) -> Variable:
        return 1.0 - F.log(self.lam)

    @property
    def support(self) -> str:
        return 'positive'

    def log_prob(self, x: Any) -> Variable:
        x = self._as_input(x)
        log_density = F.log(self.lam) - self.lam * x
        return constant_where(x.array >= 0, log_density, -numpy.inf)

    def cdf(self, x: Any) -> Variable:
        x = self._as_input(x)
        return constant_where(x.array >= 0, -F.expm1(-self.lam * x), 0.0)

    def survival_function(self, x: Any) -> Variable:
        x = self._as_input(x)
        return constant_where(x.array >= 0, F.exp(-self.lam * x), 1.0)

    def icdf(self, x: Any) -> Variable:
        return -F.log1p(-self._as_input(x)) / self.lam

    def sample_n(self, n: int) -> Variable:
        eps = self._host_draw(numpy.random.standard_exponential, (n,) + self.batch_shape)
        return Variable(eps, requires_grad=False) / self.lam


@register_kl(Exponential, Exponential)
def _kl_exponential_exponential(dist1: Exponential, dist2: Exponential) -> Variable:
    ratio = dist2.lam / dist1.lam
    return ratio - F.log(ratio) - 1.0
