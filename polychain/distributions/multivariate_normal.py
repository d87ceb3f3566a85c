"""The multivariate normal distribution, parameterised by a Cholesky factor."""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any

import numpy

from polychain import functions as F
from polychain.distributions.distribution import Distribution, as_parameter
from polychain.distributions.kl import register_kl
from polychain.variable import Variable

_LOG_2PI = math.log(2 * math.pi)


def _matvec(matrix: Variable, vector: Variable) -> Variable:
    """``matrix @ vector`` over the last axes, broadcasting the leading ones."""
    product = F.matmul(matrix, F.reshape(vector, vector.shape + (1,)))
    return F.reshape(product, product.shape[:-1])


class MultivariateNormal(Distribution):
    """Multivariate normal distribution with mean :math:`\\mu` and covariance :math:`LL^T`.

    The events lie along the last axis of ``loc``. Samples are reparameterised
    (``loc + scale_tril @ eps``).

    Args:
        loc (~polychain.Variable or array): The mean :math:`\\mu`, of shape
            ``batch_shape + (d,)``.
        scale_tril (~polychain.Variable or array): The lower-triangular Cholesky factor
            :math:`L` of the covariance, of shape ``batch_shape + (d, d)``, with a
            positive diagonal.
    """

    _param_names = ('loc', 'scale_tril')

    def __init__(self, loc: Any, scale_tril: Any = None) -> None:
        if scale_tril is None:
            raise ValueError('MultivariateNormal: scale_tril is required')
        loc = as_parameter('MultivariateNormal', 'loc', loc)
        scale_tril = as_parameter('MultivariateNormal', 'scale_tril', scale_tril)
        if loc.ndim == 0 or scale_tril.shape != loc.shape + loc.shape[-1:]:
            raise ValueError('MultivariateNormal: expected loc of shape batch_shape + (d,) and '
                             'scale_tril of shape batch_shape + (d, d), received '
                             f'loc{loc.shape} and scale_tril{scale_tril.shape}')
        self.loc, self.scale_tril = loc, scale_tril

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.loc.shape[:-1]

    @property
    def event_shape(self) -> tuple[int, ...]:
        return self.loc.shape[-1:]

    @cached_property
    def _inverse_tril(self) -> Variable:
        d = self.event_shape[0]
        inverse = F.batch_inv(F.reshape(self.scale_tril, (-1, d, d)))
        return F.reshape(inverse, self.scale_tril.shape)

    @cached_property
    def _half_log_det(self) -> Variable:
        """``log det(L)``, half the log-determinant of the covariance."""
        diagonal = F.diagonal(self.scale_tril, axis1=-2, axis2=-1)
        return F.sum(F.log(F.absolute(diagonal)), axis=-1)

    @property
    def mean(self) -> Variable:
        return self.loc

    @property
    def mode(self) -> Variable:
        return self.loc

    @property
    def covariance(self) -> Variable:
        return F.matmul(self.scale_tril, self.scale_tril, transb=True)

    @property
    def variance(self) -> Variable:
        return F.sum(F.square(self.scale_tril), axis=-1)

    @property
    def entropy(self) -> Variable:
        d = self.event_shape[0]
        return self._half_log_det + 0.5 * d * (1.0 + _LOG_2PI)

    @property
    def support(self) -> str:
        return 'real'

    def log_prob(self, x: Any) -> Variable:
        whitened = _matvec(self._inverse_tril, self._as_input(x) - self.loc)
        d = self.event_shape[0]
        return (-0.5 * F.sum(F.square(whitened), axis=-1) - self._half_log_det
                - 0.5 * d * _LOG_2PI)

    def sample_n(self, n: int) -> Variable:
        eps = self._host_draw(numpy.random.standard_normal,
                              (n,) + self.batch_shape + self.event_shape)
        return self.loc + _matvec(self.scale_tril, eps)


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_multivariate_normal(dist1: MultivariateNormal,
                            dist2: MultivariateNormal) -> Variable:
    inverse2 = dist2._inverse_tril
    trace = F.sum(F.square(F.matmul(inverse2, dist1.scale_tril)), axis=(-2, -1))
    mahalanobis = F.sum(F.square(_matvec(inverse2, dist2.loc - dist1.loc)), axis=-1)
    d = dist1.event_shape[0]
    return (0.5 * (trace + mahalanobis - d) + dist2._half_log_det - dist1._half_log_det)


def _triangular_inv(x: Any, lower: bool = True) -> Variable:
    """The inverse of the triangular matrix ``x`` (only its lower or upper triangle is read)."""
    x = x if isinstance(x, Variable) else Variable(x)
    xp = x.device.namespace
    ones = xp.ones(x.shape, dtype=x.dtype)
    mask = xp.tril(ones) if lower else xp.triu(ones)
    return F.inv(x * mask)
