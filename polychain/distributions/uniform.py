"""The continuous uniform distribution."""

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
from polychain.distributions.kl import register_kl
from polychain.variable import Variable


class Uniform(Distribution):
    """Uniform distribution on :math:`[l, h]`: :math:`p(x) = 1 / (h - l)` there, 0 elsewhere.

    Give either ``low`` and ``high``, or ``loc`` (:math:`l`) and ``scale``
    (:math:`h - l`). Samples are reparameterised (``low + scale * u``).

    Args:
        low (~polychain.Variable or array): The lower bound :math:`l`.
        high (~polychain.Variable or array): The upper bound :math:`h`.
        loc (~polychain.Variable or array): The lower bound :math:`l`.
        scale (~polychain.Variable or array): The width :math:`h - l`.
    """

    _param_names = ('low', 'high')

    def __init__(self, low: Any = None, high: Any = None, *, loc: Any = None,
                 scale: Any = None) -> None:
        given = {name: value for name, value in
                 (('low', low), ('high', high), ('loc', loc), ('scale', scale))
                 if value is not None}
        if set(given) not in ({'low', 'high'}, {'loc', 'scale'}):
            raise ValueError('Uniform: expected either `low` and `high` or `loc` and `scale`, '
                             f'received {", ".join(given) or "none"}')
        values = broadcast_parameters('Uniform', **{
            name: as_parameter('Uniform', name, value) for name, value in given.items()})
        # low is stored under that name; the other given parameter fills its cached property
        self.low, self.__dict__[tuple(given)[1]] = values

    @property
    def loc(self) -> Variable:
        """The lower bound (the ``loc`` of the ``loc``/``scale`` parameterisation)."""
        return self.low

    @cached_property
    def high(self) -> Variable:
        """The upper bound."""
        return self.loc + self.scale

    @cached_property
    def scale(self) -> Variable:
        """The width ``high - low``."""
        return self.high - self.low

    @property
    def mean(self) -> Variable:
        return self.low + 0.5 * self.scale

    @property
    def variance(self) -> Variable:
        return F.square(self.scale) / 12.0

    @property
    def entropy(self) -> Variable:
        return F.log(self.scale)

    @property
    def support(self) -> str:
        return '[low, high]'

    def _inside(self, x: Variable) -> Any:
        return (x.array >= self.low.array) & (x.array <= self.high.array)

    def log_prob(self, x: Any) -> Variable:
        x = self._as_input(x)
        log_density = F.broadcast_to(-F.log(self.scale),
                                     numpy.broadcast_shapes(x.shape, self.batch_shape))
        return constant_where(self._inside(x), log_density, -numpy.inf)

    def cdf(self, x: Any) -> Variable:
        return F.clip((self._as_input(x) - self.low) / self.scale, 0.0, 1.0)

    def icdf(self, x: Any) -> Variable:
        return self.low + self._as_input(x) * self.scale

    def sample_n(self, n: int) -> Variable:
        u = self._host_draw(numpy.random.random_sample, (n,) + self.batch_shape)
        return self.low + self.scale * u


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(dist1: Uniform, dist2: Uniform) -> Variable:
    covered = (dist1.low.array >= dist2.low.array) & (dist1.high.array <= dist2.high.array)
    return constant_where(covered, F.log(dist2.scale) - F.log(dist1.scale), numpy.inf)
