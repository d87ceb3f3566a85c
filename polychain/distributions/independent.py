"""Reinterpreting batch axes of a distribution as event axes."""

from __future__ import annotations

import math
from typing import Any

from polychain import functions as F
from polychain.distributions.distribution import Distribution
from polychain.distributions.kl import kl_divergence, register_kl
from polychain.variable import Variable


class Independent(Distribution):
    """A distribution whose rightmost batch axes are read as event axes.

    The draws along those axes are independent: the (log-)probabilities and the
    entropy of an event are the products (sums) of those of its elements. Moments
    and samples are those of the wrapped distribution.

    Args:
        distribution (~polychain.distributions.Distribution): The distribution wrapped.
        reinterpreted_batch_ndims (int): How many rightmost batch axes become event axes;
            ``None`` takes all but the first batch axis.

    Raises:
        ValueError: ``reinterpreted_batch_ndims`` exceeds the number of batch axes.
    """

    def __init__(self, distribution: Distribution,
                 reinterpreted_batch_ndims: int | None = None) -> None:
        batch_ndim = len(distribution.batch_shape)
        if reinterpreted_batch_ndims is None:
            reinterpreted_batch_ndims = max(0, batch_ndim - 1)
        elif reinterpreted_batch_ndims > batch_ndim:
            raise ValueError(f'Independent: reinterpreted_batch_ndims must be at most the '
                             f'number of batch axes of the distribution ({batch_ndim}), '
                             f'received {reinterpreted_batch_ndims}')
        self._distribution = distribution
        self._reinterpreted_batch_ndims = reinterpreted_batch_ndims

    @property
    def distribution(self) -> Distribution:
        """The wrapped distribution."""
        return self._distribution

    @property
    def reinterpreted_batch_ndims(self) -> int:
        """How many rightmost batch axes of the wrapped distribution are event axes."""
        return self._reinterpreted_batch_ndims

    @property
    def _inner_batch_ndim(self) -> int:
        return len(self._distribution.batch_shape) - self._reinterpreted_batch_ndims

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self._distribution.batch_shape[:self._inner_batch_ndim]

    @property
    def event_shape(self) -> tuple[int, ...]:
        inner = self._distribution
        return inner.batch_shape[self._inner_batch_ndim:] + inner.event_shape

    @property
    def params(self) -> dict[str, Variable]:
        return self._distribution.params

    def _sum(self, value: Variable) -> Variable:
        return F.sum(value, axis=tuple(range(-self._reinterpreted_batch_ndims, 0)))

    def _prod(self, value: Variable) -> Variable:
        if not self._reinterpreted_batch_ndims:
            return value
        return F.prod(value, axis=tuple(range(-self._reinterpreted_batch_ndims, 0)))

    @property
    def mean(self) -> Variable:
        return self._distribution.mean

    @property
    def mode(self) -> Variable:
        return self._distribution.mode

    @property
    def variance(self) -> Variable:
        return self._distribution.variance

    @property
    def stddev(self) -> Variable:
        return self._distribution.stddev

    @property
    def covariance(self) -> Variable:
        """The block-diagonal covariance of the flattened event.

        The blocks are the covariances of the wrapped distribution's events (its
        variances when its events are scalars), one per reinterpreted batch element.
        """
        inner = self._distribution
        d = math.prod(inner.event_shape)
        m = math.prod(inner.batch_shape[self._inner_batch_ndim:])
        blocks = inner.covariance if inner.event_shape else inner.variance
        blocks = F.reshape(blocks, self.batch_shape + (m, 1, d, d))
        xp = self.device.namespace
        eye = xp.reshape(xp.eye(m, dtype=blocks.dtype), (m, m, 1, 1))
        # (..., m, m, d, d) with block (i, j) = delta_ij * cov_i, laid out as (m d, m d)
        full = F.transpose(blocks * eye, tuple(range(len(self.batch_shape)))
                           + tuple(len(self.batch_shape) + a for a in (0, 2, 1, 3)))
        return F.reshape(full, self.batch_shape + (m * d, m * d))

    @property
    def entropy(self) -> Variable:
        return self._sum(self._distribution.entropy)

    @property
    def support(self) -> str:
        return self._distribution.support

    def log_prob(self, x: Any) -> Variable:
        return self._sum(self._distribution.log_prob(x))

    def prob(self, x: Any) -> Variable:
        return self._prod(self._distribution.prob(x))

    def cdf(self, x: Any) -> Variable:
        return self._prod(self._distribution.cdf(x))

    def log_cdf(self, x: Any) -> Variable:
        return self._sum(self._distribution.log_cdf(x))

    def survival_function(self, x: Any) -> Variable:
        return self._prod(self._distribution.survival_function(x))

    def log_survival_function(self, x: Any) -> Variable:
        return self._sum(self._distribution.log_survival_function(x))

    def perplexity(self, x: Any) -> Variable:
        return self._prod(self._distribution.perplexity(x))

    def icdf(self, x: Any) -> Variable:
        """Not defined: the cdf of a multivariate variable cannot be inverted.

        Raises:
            RuntimeError: Always.
        """
        raise RuntimeError('Independent: the cumulative distribution function of a '
                           'multivariate variable is not invertible')

    def sample_n(self, n: int) -> Variable:
        return self._distribution.sample_n(n)


@register_kl(Independent, Independent)
def _kl_independent_independent(dist1: Independent, dist2: Independent) -> Variable:
    if dist1.event_shape != dist2.event_shape:
        raise ValueError(f'kl_divergence: the event shapes of the Independent distributions '
                         f'differ, {dist1.event_shape} and {dist2.event_shape}')
    inner1, inner2 = dist1.distribution, dist2.distribution
    if inner1.event_shape != inner2.event_shape:
        raise NotImplementedError('kl_divergence: Independent distributions whose wrapped '
                                  'distributions have different event shapes')
    return dist1._sum(kl_divergence(inner1, inner2))
