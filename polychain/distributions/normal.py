"""The normal distribution."""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import (
    Distribution,
    as_parameter,
    broadcast_parameters,
    one_of,
)
from polychain.distributions.kl import register_kl
from polychain.variable import Variable

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_SQRT2 = math.sqrt(2.0)
# below this point log(ndtr(z)) is taken from its asymptotic series (ndtr underflows)
_LOG_NDTR_SERIES_BELOW = -10.0
_LOG_NDTR_SERIES_TERMS = 12


def log_ndtr(z: Variable) -> Variable:
    """``log(Phi(z))`` of the standard normal cdf, accurate in the far left tail too."""
    xp = z.device.namespace
    direct = z.array > _LOG_NDTR_SERIES_BELOW
    z_direct = F.where(direct, z, xp.zeros_like(z.array))
    z_tail = F.where(direct, xp.full_like(z.array, _LOG_NDTR_SERIES_BELOW), z)
    from_erfc = F.log(0.5 * F.erfc(z_direct * (-1.0 / _SQRT2)))
    # log(phi(z) / -z * sum_k (-1)^k (2k-1)!! / z^(2k))
    inv_z2 = 1.0 / F.square(z_tail)
    series, term = 1.0, 1.0
    for k in range(1, _LOG_NDTR_SERIES_TERMS):
        term = term * ((1 - 2 * k) * inv_z2)
        series = series + term
    tail = -0.5 * F.square(z_tail) - F.log(-z_tail) - _HALF_LOG_2PI + F.log(series)
    return F.where(direct, from_erfc, tail)


class Normal(Distribution):
    """Normal distribution.

    The density is :math:`p(x) = \\frac{1}{\\sqrt{2\\pi\\sigma^2}}
    \\exp\\left(-\\frac{(x-\\mu)^2}{2\\sigma^2}\\right)`. Samples are reparameterised
    (``loc + scale * eps``), so they are differentiable with respect to the parameters.

    Args:
        loc (~polychain.Variable or array): The mean :math:`\\mu`.
        scale (~polychain.Variable or array): The standard deviation :math:`\\sigma`.
            Either ``scale`` or ``log_scale`` (not both) must be given.
        log_scale (~polychain.Variable or array): :math:`\\log\\sigma`.
    """

    _param_names = ('loc', 'scale')

    def __init__(self, loc: Any, scale: Any = None, *, log_scale: Any = None) -> None:
        name, value = one_of('Normal', scale=scale, log_scale=log_scale)
        loc = as_parameter('Normal', 'loc', loc)
        value = as_parameter('Normal', name, value)
        self.loc, value = broadcast_parameters('Normal', loc=loc, **{name: value})
        self.__dict__[name] = value

    @cached_property
    def scale(self) -> Variable:
        """The standard deviation :math:`\\sigma`."""
        return F.exp(self.log_scale)

    @cached_property
    def log_scale(self) -> Variable:
        """:math:`\\log\\sigma`."""
        return F.log(self.scale)

    @property
    def mean(self) -> Variable:
        return self.loc

    @property
    def mode(self) -> Variable:
        return self.loc

    @property
    def variance(self) -> Variable:
        return F.square(self.scale)

    @property
    def stddev(self) -> Variable:
        return self.scale

    @property
    def entropy(self) -> Variable:
        return self.log_scale + (0.5 + _HALF_LOG_2PI)

    @property
    def support(self) -> str:
        return 'real'

    def _standardize(self, x: Any) -> Variable:
        return (self._as_input(x) - self.loc) / self.scale

    def log_prob(self, x: Any) -> Variable:
        return -0.5 * F.square(self._standardize(x)) - self.log_scale - _HALF_LOG_2PI

    def cdf(self, x: Any) -> Variable:
        return 0.5 * F.erfc(self._standardize(x) * (-1.0 / _SQRT2))

    def log_cdf(self, x: Any) -> Variable:
        return log_ndtr(self._standardize(x))

    def survival_function(self, x: Any) -> Variable:
        return 0.5 * F.erfc(self._standardize(x) * (1.0 / _SQRT2))

    def log_survival_function(self, x: Any) -> Variable:
        return log_ndtr(-self._standardize(x))

    def icdf(self, x: Any) -> Variable:
        return F.erfinv(2.0 * self._as_input(x) - 1.0) * (_SQRT2 * self.scale) + self.loc

    def sample_n(self, n: int) -> Variable:
        eps = self._host_draw(numpy.random.standard_normal, (n,) + self.batch_shape)
        return self.loc + self.scale * eps


@register_kl(Normal, Normal)
def _kl_normal_normal(dist1: Normal, dist2: Normal) -> Variable:
    ratio = F.square(dist1.scale / dist2.scale)
    gap = F.square((dist1.loc - dist2.loc) / dist2.scale)
    return 0.5 * (ratio + gap - 1.0) - F.log(dist1.scale / dist2.scale)
