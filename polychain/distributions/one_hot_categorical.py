"""The one-hot categorical distribution."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.categorical import Categorical, _inverse_cdf_draw
from polychain.distributions.distribution import Distribution, as_parameter
from polychain.distributions.kl import kl_divergence, register_kl
from polychain.variable import Variable


def _one_hot_draw(p: numpy.ndarray, size: tuple[int, ...]) -> numpy.ndarray:
    """One-hot vectors (last axis) of categories drawn with the probabilities ``p``."""
    indices = _inverse_cdf_draw(p, size[:-1])
    return numpy.eye(p.shape[-1], dtype=p.dtype)[indices]


class OneHotCategorical(Distribution):
    """Categorical distribution over one-hot vectors: :math:`P(x = e_i) = p_i`.

    Args:
        p (~polychain.Variable or array): Probabilities of the categories, along the
            last axis, of shape ``batch_shape + (K,)``.
    """

    _param_names = ('p',)

    def __init__(self, p: Any) -> None:
        p = as_parameter('OneHotCategorical', 'p', p)
        if p.ndim == 0:
            raise ValueError('OneHotCategorical: expected p with a category axis (ndim >= 1), '
                             f'received shape {p.shape}')
        self.p = p

    @cached_property
    def _categorical(self) -> Categorical:
        """The categorical distribution of the index of the one."""
        return Categorical(self.p)

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.p.shape[:-1]

    @property
    def event_shape(self) -> tuple[int, ...]:
        return self.p.shape[-1:]

    @property
    def mean(self) -> Variable:
        return self.p

    @property
    def variance(self) -> Variable:
        return self.p * (1.0 - self.p)

    @property
    def entropy(self) -> Variable:
        return self._categorical.entropy

    def log_prob(self, x: Any) -> Variable:
        x = self._as_float_input(x)
        log_p = self._categorical.log_p
        shape = numpy.broadcast_shapes(x.shape, log_p.shape)
        terms = F.broadcast_to(log_p, shape) * x
        # a category of probability 0 that is not drawn adds 0, not 0 * log(0)
        xp = self.device.namespace
        terms = F.where(xp.broadcast_to(x.array != 0, shape), terms, xp.zeros(shape, dtype=x.dtype))
        return F.sum(terms, axis=-1)

    def sample_n(self, n: int) -> Variable:
        draws = self._host_draw(_one_hot_draw, (n,) + self.batch_shape + self.event_shape,
                                self.p)
        return Variable(draws, requires_grad=False)


@register_kl(OneHotCategorical, OneHotCategorical)
def _kl_one_hot_categorical(dist1: OneHotCategorical, dist2: OneHotCategorical) -> Variable:
    return kl_divergence(dist1._categorical, dist2._categorical)
