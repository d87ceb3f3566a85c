"""The Poisson distribution."""

from __future__ import annotations

from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import (
    Distribution,
    as_parameter,
    constant_where,
)
from polychain.distributions.kl import register_kl
from polychain.variable import Variable


class Poisson(Distribution):
    """Poisson distribution: :math:`P(x) = \\lambda^x e^{-\\lambda} / x!` on :math:`\\mathbb{N}`.

    Negative points have log-probability ``-inf``. Samples are drawn on the host (not
    differentiable) and have the dtype of ``lam``.

    Args:
        lam (~polychain.Variable or array): The rate :math:`\\lambda > 0`.
    """

    _param_names = ('lam',)

    def __init__(self, lam: Any) -> None:
        self.lam = as_parameter('Poisson', 'lam', lam)

    @property
    def mean(self) -> Variable:
        return self.lam

    @property
    def variance(self) -> Variable:
        return self.lam

    @property
    def support(self) -> str:
        return 'non negative integer'

    def log_prob(self, x: Any) -> Variable:
        x = self._as_float_input(x)
        inside = x.array >= 0
        x = constant_where(inside, x, 0.0)  # keeps lgamma(x + 1) finite outside the support
        log_pmf = x * F.log(self.lam) - F.lgamma(x + 1.0) - self.lam
        return constant_where(inside, log_pmf, -numpy.inf)

    def sample_n(self, n: int) -> Variable:
        dtype = self._host_dtype
        draws = self._host_draw(
            lambda lam, size: numpy.random.poisson(lam, size=size).astype(dtype),
            (n,) + self.batch_shape, self.lam)
        return Variable(draws, requires_grad=False)


@register_kl(Poisson, Poisson)
def _kl_poisson_poisson(dist1: Poisson, dist2: Poisson) -> Variable:
    lam1, lam2 = dist1.lam, dist2.lam
    return lam1 * (F.log(lam1) - F.log(lam2)) - lam1 + lam2
