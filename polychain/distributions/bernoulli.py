"""The Bernoulli distribution."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import (
    Distribution,
    as_parameter,
    constant_where,
    one_of,
    xlogx,
)
from polychain.distributions.kl import register_kl
from polychain.variable import Variable


class Bernoulli(Distribution):
    """Bernoulli distribution: :math:`P(x = 1) = p` and :math:`P(x = 0) = 1 - p`.

    Probabilities are computed from the logit, so they stay finite for extreme ``p``.

    Args:
        p (~polychain.Variable or array): The probability :math:`p` of ``1``.
            Either ``p`` or ``logit`` (not both) must be given.
        logit (~polychain.Variable or array): :math:`\\log\\{p/(1-p)\\}`.
        binary_check (bool): If ``True``, points other than 0 and 1 have
            probability 0 (log-probability ``-inf``); otherwise the formula
            ``x log p + (1 - x) log(1 - p)`` is applied to any ``x``.
    """

    _param_names = ('p',)

    def __init__(self, p: Any = None, logit: Any = None, binary_check: bool = False) -> None:
        name, value = one_of('Bernoulli', p=p, logit=logit)
        self.__dict__[name] = as_parameter('Bernoulli', name, value)
        self.binary_check = binary_check

    @cached_property
    def p(self) -> Variable:
        """The probability of ``1``."""
        return F.sigmoid(self.logit)

    @cached_property
    def logit(self) -> Variable:
        """The log-odds :math:`\\log\\{p/(1-p)\\}`."""
        return F.log(self.p) - F.log1p(-self.p)

    @property
    def mean(self) -> Variable:
        return self.p

    @property
    def variance(self) -> Variable:
        return self.p * (1.0 - self.p)

    @property
    def entropy(self) -> Variable:
        return -xlogx(self.p) - xlogx(1.0 - self.p)

    @property
    def support(self) -> str:
        return '{0, 1}'

    def log_prob(self, x: Any) -> Variable:
        x = self._as_float_input(x)
        log_prob = _bernoulli_log_prob(self.logit, x.array)
        if not self.binary_check:
            return log_prob
        return constant_where((x.array == 0) | (x.array == 1), log_prob, -numpy.inf)

    def sample_n(self, n: int) -> Variable:
        draws = self._host_draw(lambda p, size: numpy.random.binomial(1, p, size=size),
                                (n,) + self.batch_shape, self.p)
        return Variable(draws, requires_grad=False)


def _bernoulli_log_prob(logit: Any, x: Any) -> Variable:
    """``x log p + (1 - x) log(1 - p)`` for ``p = sigmoid(logit)``, broadcast together.

    ``log p = -softplus(-logit)`` and ``log(1 - p) = -softplus(logit)`` stay finite
    for large ``|logit|``.
    """
    logit = logit if isinstance(logit, Variable) else Variable(logit)
    shape = numpy.broadcast_shapes(logit.shape, tuple(x.shape))
    if logit.shape != shape:
        logit = F.broadcast_to(logit, shape)
    xp = logit.device.namespace
    if tuple(x.shape) != shape:
        x = xp.broadcast_to(x, shape)
    binary = (x == 0) | (x == 1)
    # At 0 and 1 one softplus term suffices, which keeps infinite logits (p of 0 or 1) exact.
    at_binary = -F.softplus(logit * (1 - 2 * x))  # Variable first: strict arrays refuse it
    general = -(F.softplus(-logit) * x + F.softplus(logit) * (1 - x))
    return F.where(binary, at_binary, general)


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(dist1: Bernoulli, dist2: Bernoulli) -> Variable:
    # p1 log(p1/p2) + q1 log(q1/q2), with log p = -softplus(-logit), log q = -softplus(logit)
    return (dist1.p * (F.softplus(-dist2.logit) - F.softplus(-dist1.logit))
            + (1.0 - dist1.p) * (F.softplus(dist2.logit) - F.softplus(dist1.logit)))
