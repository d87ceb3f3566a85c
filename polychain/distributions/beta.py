"""The beta distribution."""

from __future__ import annotations

from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import (
    Distribution,
    as_parameter,
    broadcast_parameters,
    constant_where,
    lbeta,
)
from polychain.distributions.kl import register_kl
from polychain.variable import Variable


class Beta(Distribution):
    """Beta distribution: :math:`p(x) = x^{a-1}(1-x)^{b-1} / B(a, b)` on :math:`[0, 1]`.

    Samples are drawn on the host with ``numpy.random.beta`` and are not
    differentiable with respect to the parameters.

    Args:
        a (~polychain.Variable or array): The shape parameter :math:`a > 0`.
        b (~polychain.Variable or array): The shape parameter :math:`b > 0`.
    """

    _param_names = ('a', 'b')

    def __init__(self, a: Any, b: Any) -> None:
        self.a, self.b = broadcast_parameters(
            'Beta', a=as_parameter('Beta', 'a', a), b=as_parameter('Beta', 'b', b))

    @property
    def mean(self) -> Variable:
        return self.a / (self.a + self.b)

    @property
    def variance(self) -> Variable:
        total = self.a + self.b
        return self.a * self.b / (F.square(total) * (total + 1.0))

    @property
    def entropy(self) -> Variable:
        a, b = self.a, self.b
        return (lbeta(a, b) - (a - 1.0) * F.digamma(a) - (b - 1.0) * F.digamma(b)
                + (a + b - 2.0) * F.digamma(a + b))

    @property
    def support(self) -> str:
        return '[0, 1]'

    def log_prob(self, x: Any) -> Variable:
        x = self._as_input(x)
        inside = (x.array >= 0) & (x.array <= 1)
        x = constant_where(inside, x, 0.5)  # keeps logs finite outside the support
        log_density = ((self.a - 1.0) * F.log(x) + (self.b - 1.0) * F.log1p(-x)
                       - lbeta(self.a, self.b))
        return constant_where(inside, log_density, -numpy.inf)

    def sample_n(self, n: int) -> Variable:
        draws = self._host_draw(numpy.random.beta, (n,) + self.batch_shape, self.a, self.b)
        return Variable(draws, requires_grad=False)


@register_kl(Beta, Beta)
def _kl_beta_beta(dist1: Beta, dist2: Beta) -> Variable:
    a1, b1, a2, b2 = dist1.a, dist1.b, dist2.a, dist2.b
    return (lbeta(a2, b2) - lbeta(a1, b1) + (a1 - a2) * F.digamma(a1)
            + (b1 - b2) * F.digamma(b1) + (a2 - a1 + b2 - b1) * F.digamma(a1 + b1))
