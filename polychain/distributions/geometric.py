"""The geometric distribution."""

from __future__ import annotations

from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import (
    Distribution,
    as_parameter,
    constant_where,
    xlogx,
)
from polychain.distributions.kl import register_kl
from polychain.variable import Variable


class Geometric(Distribution):
    """Geometric distribution: :math:`P(x) = p(1-p)^{x-1}` for :math:`x = 1, 2, \\ldots`.

    The number of Bernoulli trials up to the first success. Points below 1 have
    log-probability ``-inf``. Samples are drawn on the host (not differentiable) and
    have the dtype of ``p``.

    Args:
        p (~polychain.Variable or array): The success probability :math:`0 < p \\leq 1`.
    """

    _param_names = ('p',)

    def __init__(self, p: Any) -> None:
        self.p = as_parameter('Geometric', 'p', p)

    @property
    def mean(self) -> Variable:
        return 1.0 / self.p

    @property
    def variance(self) -> Variable:
        return (1.0 - self.p) / F.square(self.p)

    @property
    def entropy(self) -> Variable:
        return -(xlogx(self.p) + xlogx(1.0 - self.p)) / self.p

    @property
    def support(self) -> str:
        return 'positive integer'

    def log_prob(self, x: Any) -> Variable:
        x = self._as_float_input(x)
        # no failure contributes 0, also for p == 1 where log(1 - p) is -inf
        failures = constant_where(x.array > 1, (x - 1.0) * F.log1p(-self.p), 0.0)
        log_pmf = failures + F.log(self.p)
        return constant_where(x.array >= 1, log_pmf, -numpy.inf)

    def sample_n(self, n: int) -> Variable:
        dtype = self._host_dtype
        draws = self._host_draw(
            lambda p, size: numpy.random.geometric(p, size=size).astype(dtype),
            (n,) + self.batch_shape, self.p)
        return Variable(draws, requires_grad=False)


@register_kl(Geometric, Geometric)
def _kl_geometric_geometric(dist1: Geometric, dist2: Geometric) -> Variable:
    failures = 1.0 / dist1.p - 1.0  # the expected number of failures under dist1
    return (F.log(dist1.p) - F.log(dist2.p)
            + failures * (F.log1p(-dist1.p) - F.log1p(-dist2.p)))
