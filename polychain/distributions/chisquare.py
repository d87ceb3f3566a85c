"""The chi-square distribution."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from polychain.distributions.distribution import Distribution, as_parameter
from polychain.distributions.gamma import Gamma
from polychain.variable import Variable


class Chisquare(Distribution):
    """Chi-square distribution with :math:`k` degrees of freedom.

    It is the gamma distribution of shape :math:`k/2` and scale 2, and is computed
    as one: :math:`p(x) = x^{k/2-1} e^{-x/2} / (2^{k/2}\\Gamma(k/2))` for :math:`x \\geq 0`.

    Args:
        k (~polychain.Variable or array): The degrees of freedom :math:`k > 0`.
    """

    _param_names = ('k',)

    def __init__(self, k: Any) -> None:
        self.k = as_parameter('Chisquare', 'k', k)

    @cached_property
    def _gamma(self) -> Gamma:
        xp = self.device.namespace
        return Gamma(0.5 * self.k, Variable(xp.full_like(self.k.array, 2.0), requires_grad=False))

    @property
    def mean(self) -> Variable:
        return self.k

    @property
    def variance(self) -> Variable:
        return 2.0 * self.k

    @property
    def entropy(self) -> Variable:
        return self._gamma.entropy

    @property
    def support(self) -> str:
        return 'positive'

    def log_prob(self, x: Any) -> Variable:
        return self._gamma.log_prob(x)

    def sample_n(self, n: int) -> Variable:
        return self._gamma.sample_n(n)
