"""The Pareto distribution."""

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


class Pareto(Distribution):
    """Pareto distribution: :math:`p(x) = \\alpha x_m^\\alpha x^{-\\alpha-1}`, :math:`x \\geq x_m`.

    The mean is infinite for :math:`\\alpha \\leq 1`, the variance for :math:`\\alpha \\leq 2`.
    Samples are reparameterised (``scale * exp(eps / alpha)`` with a standard
    exponential ``eps``).

    Args:
        scale (~polychain.Variable or array): The scale (minimum) :math:`x_m > 0`.
        alpha (~polychain.Variable or array): The shape :math:`\\alpha > 0`.
    """

    _param_names = ('scale', 'alpha')

    def __init__(self, scale: Any, alpha: Any) -> None:
        self.scale, self.alpha = broadcast_parameters(
            'Pareto', scale=as_parameter('Pareto', 'scale', scale),
            alpha=as_parameter('Pareto', 'alpha', alpha))

    def _finite_above(self, value: Variable, bound: float) -> Variable:
        """``value`` where ``alpha > bound``, ``inf`` elsewhere."""
        return constant_where(self.alpha.array > bound, value, numpy.inf)

    @property
    def mean(self) -> Variable:
        return self._finite_above(self.alpha * self.scale / (self.alpha - 1.0), 1.0)

    @property
    def variance(self) -> Variable:
        alpha = self.alpha
        variance = F.square(self.scale / (alpha - 1.0)) * alpha / (alpha - 2.0)
        return self._finite_above(variance, 2.0)

    @property
    def entropy(self) -> Variable:
        return F.log(self.scale) - F.log(self.alpha) + 1.0 / self.alpha + 1.0

    @property
    def support(self) -> str:
        return '[scale, inf]'

    def log_prob(self, x: Any) -> Variable:
        x = self._as_input(x)
        inside = x.array >= self.scale.array
        x = constant_where(x.array > 0, x, 1.0)  # keeps logs finite outside the support
        alpha = self.alpha
        log_density = F.log(alpha) + alpha * F.log(self.scale) - (alpha + 1.0) * F.log(x)
        return constant_where(inside, log_density, -numpy.inf)

    def sample_n(self, n: int) -> Variable:
        eps = self._host_draw(numpy.random.standard_exponential, (n,) + self.batch_shape)
        return self.scale * F.exp(Variable(eps, requires_grad=False) / self.alpha)


@register_kl(Pareto, Pareto)
def _kl_pareto_pareto(dist1: Pareto, dist2: Pareto) -> Variable:
    a1, a2 = dist1.alpha, dist2.alpha
    kl = a2 * (F.log(dist1.scale) - F.log(dist2.scale)) + F.log(a1 / a2) + a2 / a1 - 1.0
    # dist1 puts mass where dist2 has none unless its scale is at least dist2's
    return constant_where(dist1.scale.array >= dist2.scale.array, kl, numpy.inf)
