"""The Cauchy distribution."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import Distribution, as_parameter, broadcast_parameters
from polychain.variable import Variable


class Cauchy(Distribution):
    """Cauchy distribution: :math:`p(x) = \\frac{1}{\\pi\\gamma(1 + ((x - x_0)/\\gamma)^2)}`.

    Its mean and variance are undefined: they warn (``RuntimeWarning``) and are NaN.
    Samples are reparameterised (``loc + scale * eps``).

    Args:
        loc (~polychain.Variable or array): The location :math:`x_0`.
        scale (~polychain.Variable or array): The scale :math:`\\gamma > 0`.
    """

    _param_names = ('loc', 'scale')

    def __init__(self, loc: Any, scale: Any) -> None:
        self.loc, self.scale = broadcast_parameters(
            'Cauchy', loc=as_parameter('Cauchy', 'loc', loc),
            scale=as_parameter('Cauchy', 'scale', scale))

    def _undefined(self, what: str) -> Variable:
        warnings.warn(f'{what} of the cauchy distribution is undefined.', RuntimeWarning,
                      stacklevel=3)
        return Variable(self.device.namespace.full_like(self.loc.array, math.nan),
                        requires_grad=False)

    @property
    def mean(self) -> Variable:
        return self._undefined('Mean')

    @property
    def variance(self) -> Variable:
        return self._undefined('Variance')

    @property
    def entropy(self) -> Variable:
        return F.log(self.scale) + math.log(4 * math.pi)

    @property
    def support(self) -> str:
        return 'real'

    def _standardize(self, x: Any) -> Variable:
        return (self._as_input(x) - self.loc) / self.scale

    def log_prob(self, x: Any) -> Variable:
        return -F.log1p(F.square(self._standardize(x))) - F.log(self.scale) - math.log(math.pi)

    def cdf(self, x: Any) -> Variable:
        return F.arctan(self._standardize(x)) * (1 / math.pi) + 0.5

    def icdf(self, x: Any) -> Variable:
        return self.loc + self.scale * F.tan((self._as_input(x) - 0.5) * math.pi)

    def sample_n(self, n: int) -> Variable:
        eps = self._host_draw(numpy.random.standard_cauchy, (n,) + self.batch_shape)
        return self.loc + self.scale * eps
