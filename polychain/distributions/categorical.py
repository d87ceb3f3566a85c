"""The categorical distribution."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import Distribution, as_parameter, one_of, xlogx
from polychain.distributions.kl import register_kl
from polychain.variable import Variable


def _inverse_cdf_draw(p: numpy.ndarray, size: tuple[int, ...]) -> numpy.ndarray:
    """Category indices drawn by inverting the cumulative probabilities along the last axis."""
    cumulative = numpy.cumsum(p, axis=-1)
    u = numpy.random.random_sample(size) * cumulative[..., -1]
    indices = numpy.sum(cumulative <= u[..., None], axis=-1)
    return numpy.minimum(indices, p.shape[-1] - 1)


class Categorical(Distribution):
    """Categorical distribution over the last axis: :math:`P(x = i) = p_i`.

    Args:
        p (~polychain.Variable or array): Probabilities of the categories, along the
            last axis. Either ``p`` or ``logit`` (not both) must be given.
        logit (~polychain.Variable or array): :math:`\\log p + C` along the last axis.
    """

    _param_names = ('p',)

    def __init__(self, p: Any = None, logit: Any = None) -> None:
        name, value = one_of('Categorical', p=p, logit=logit)
        value = as_parameter('Categorical', name, value)
        if value.ndim == 0:
            raise ValueError(f'Categorical: expected {name} with a category axis (ndim >= 1), '
                             f'received shape {value.shape}')
        self.__dict__[name] = value
        self._given_logit = name == 'logit'

    @cached_property
    def p(self) -> Variable:
        """The probabilities of the categories."""
        return F.softmax(self.logit, axis=-1)

    @cached_property
    def logit(self) -> Variable:
        """Unnormalised log-probabilities of the categories."""
        return F.log(self.p)

    @cached_property
    def log_p(self) -> Variable:
        """Normalised log-probabilities of the categories."""
        if self._given_logit:
            return F.log_softmax(self.logit, axis=-1)
        return F.log(self.p)

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.p.shape[:-1]

    @property
    def entropy(self) -> Variable:
        return -F.sum(xlogx(self.p), axis=-1)

    @property
    def support(self) -> str:
        return '[0, ..., K-1]'

    def log_prob(self, x: Any) -> Variable:
        x = self._as_input(x)
        n_categories = self.p.shape[-1]
        log_p = F.broadcast_to(self.log_p, x.shape + (n_categories,))
        selected = F.select_item(F.reshape(log_p, (-1, n_categories)),
                                 x.device.namespace.reshape(x.array, (-1,)))
        return F.reshape(selected, x.shape)

    def sample_n(self, n: int) -> Variable:
        draws = self._host_draw(_inverse_cdf_draw, (n,) + self.batch_shape, self.p)
        return Variable(draws, requires_grad=False)


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(dist1: Categorical, dist2: Categorical) -> Variable:
    return F.sum(dist1.p * (dist1.log_p - dist2.log_p), axis=-1)
