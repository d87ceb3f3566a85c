"""The Dirichlet distribution."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import Distribution, as_parameter
from polychain.distributions.kl import register_kl
from polychain.variable import Variable


def _dirichlet_draw(alpha: numpy.ndarray, size: tuple[int, ...]) -> numpy.ndarray:
    """Points of the simplex drawn as normalised ``numpy.random.gamma`` draws (last axis)."""
    g = numpy.random.gamma(alpha, size=size)
    return g / numpy.sum(g, axis=-1, keepdims=True)


class Dirichlet(Distribution):
    """Dirichlet distribution on the simplex along the last axis.

    The density is :math:`p(x) = \\frac{1}{B(\\alpha)} \\prod_i x_i^{\\alpha_i - 1}` with
    :math:`B(\\alpha) = \\prod_i \\Gamma(\\alpha_i) / \\Gamma(\\sum_i \\alpha_i)`. Samples are
    drawn on the host and are not differentiable with respect to :math:`\\alpha`.

    Args:
        alpha (~polychain.Variable or array): The concentrations :math:`\\alpha_i > 0`, of
            shape ``batch_shape + (K,)``.
    """

    _param_names = ('alpha',)

    def __init__(self, alpha: Any) -> None:
        alpha = as_parameter('Dirichlet', 'alpha', alpha)
        if alpha.ndim == 0:
            raise ValueError('Dirichlet: expected alpha with an event axis (ndim >= 1), '
                             f'received shape {alpha.shape}')
        self.alpha = alpha

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.alpha.shape[:-1]

    @property
    def event_shape(self) -> tuple[int, ...]:
        return self.alpha.shape[-1:]

    @cached_property
    def alpha0(self) -> Variable:
        """The total concentration :math:`\\sum_i \\alpha_i`, of the batch shape."""
        return F.sum(self.alpha, axis=-1)

    @cached_property
    def _lbeta(self) -> Variable:
        """:math:`\\log B(\\alpha)`."""
        return F.sum(F.lgamma(self.alpha), axis=-1) - F.lgamma(self.alpha0)

    @property
    def mean(self) -> Variable:
        return self.alpha / F.expand_dims(self.alpha0, -1)

    @property
    def variance(self) -> Variable:
        alpha0 = F.expand_dims(self.alpha0, -1)
        return self.alpha * (alpha0 - self.alpha) / (F.square(alpha0) * (alpha0 + 1.0))

    @property
    def entropy(self) -> Variable:
        k = self.event_shape[0]
        return (self._lbeta + (self.alpha0 - k) * F.digamma(self.alpha0)
                - F.sum((self.alpha - 1.0) * F.digamma(self.alpha), axis=-1))

    @property
    def support(self) -> str:
        return '[0, 1]'

    def log_prob(self, x: Any) -> Variable:
        x = self._as_input(x)
        return F.sum((self.alpha - 1.0) * F.log(x), axis=-1) - self._lbeta

    def sample_n(self, n: int) -> Variable:
        draws = self._host_draw(_dirichlet_draw, (n,) + self.batch_shape + self.event_shape,
                                self.alpha)
        return Variable(draws, requires_grad=False)


@register_kl(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(dist1: Dirichlet, dist2: Dirichlet) -> Variable:
    expected_log = F.digamma(dist1.alpha) - F.expand_dims(F.digamma(dist1.alpha0), -1)
    return (dist2._lbeta - dist1._lbeta
            + F.sum((dist1.alpha - dist2.alpha) * expected_log, axis=-1))
