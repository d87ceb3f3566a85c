"""Independent: reinterpreting batch axes as event axes."""

from __future__ import annotations

import numpy
import pytest
from scipy import stats

from polychain import distributions as D

from .helpers import host, on, param

LOC = numpy.array([[[0.5, -1.0, 0.2], [0.1, 0.3, -0.4]], [[1.0, 0.0, 2.0], [-2.0, 0.5, 0.7]]])
SCALE = numpy.array([[[1.5, 0.5, 0.8], [1.1, 0.9, 2.0]], [[0.3, 1.0, 0.6], [1.2, 0.4, 0.7]]])


def _normal(device):
    return D.Normal(param(device, LOC), param(device, SCALE))


@pytest.mark.parametrize('ndims, batch_shape, event_shape', [
    (None, (2,), (2, 3)), (0, (2, 2, 3), ()), (1, (2, 2), (3,)), (3, (), (2, 2, 3))])
def test_shapes(device, ndims, batch_shape, event_shape):
    dist = D.Independent(_normal(device), ndims)
    assert (dist.batch_shape, dist.event_shape) == (batch_shape, event_shape)
    assert dist.reinterpreted_batch_ndims == len(event_shape)
    x = on(device, numpy.zeros((4, 2, 2, 3)))
    assert dist.log_prob(x).shape == (4,) + batch_shape
    assert dist.entropy.shape == batch_shape
    assert dist.sample(5).shape == (5, 2, 2, 3)


def test_probabilities_are_products_over_the_event(device):
    dist = D.Independent(_normal(device), 2)
    x = numpy.array([[[[0.2, -0.3, 0.0], [1.0, 2.0, -1.0]], [[0.5, 0.5, 0.5], [0.0, 0.0, 0.0]]]])
    reference = stats.norm(LOC, SCALE)
    numpy.testing.assert_allclose(host(dist.log_prob(device.send(x))),
                                  reference.logpdf(x).sum((-2, -1)))
    numpy.testing.assert_allclose(host(dist.prob(device.send(x))),
                                  reference.pdf(x).prod((-2, -1)))
    numpy.testing.assert_allclose(host(dist.cdf(device.send(x))), reference.cdf(x).prod((-2, -1)))
    numpy.testing.assert_allclose(host(dist.log_cdf(device.send(x))),
                                  reference.logcdf(x).sum((-2, -1)))
    numpy.testing.assert_allclose(host(dist.survival_function(device.send(x))),
                                  reference.sf(x).prod((-2, -1)))
    numpy.testing.assert_allclose(host(dist.entropy), reference.entropy().sum((-2, -1)))


def test_moments_params_and_support_are_the_wrapped_ones(device):
    normal = _normal(device)
    dist = D.Independent(normal)
    assert dist.distribution is normal
    assert dist.params is not None and set(dist.params) == {'loc', 'scale'}
    assert dist.support == 'real'
    assert dist.device == normal.device and dist.xp is normal.xp
    for name in ('mean', 'mode', 'variance', 'stddev'):
        numpy.testing.assert_allclose(host(getattr(dist, name)), host(getattr(normal, name)))


def test_covariance_is_block_diagonal(device):
    scale = numpy.array([[1.5, 0.5, 0.8], [1.1, 0.9, 2.0]])
    dist = D.Independent(D.Normal(param(device, numpy.zeros((2, 3))), param(device, scale)))
    numpy.testing.assert_allclose(host(dist.covariance),
                                  [numpy.diag(row ** 2) for row in scale])
    tril = numpy.array([[[1.0, 0.0], [0.5, 2.0]], [[0.3, 0.0], [-1.0, 1.5]]])
    mvn = D.MultivariateNormal(param(device, numpy.zeros((2, 2))), param(device, tril))
    covariance = host(D.Independent(mvn, 1).covariance)
    blocks = [t @ t.T for t in tril]
    expected = numpy.zeros((4, 4))
    expected[:2, :2], expected[2:, 2:] = blocks
    numpy.testing.assert_allclose(covariance, expected)


def test_errors(device):
    with pytest.raises(ValueError, match='reinterpreted_batch_ndims must be at most'):
        D.Independent(_normal(device), 4)
    dist = D.Independent(_normal(device))
    with pytest.raises(RuntimeError, match='not invertible'):
        dist.icdf(on(device, numpy.full((2, 2, 3), 0.5)))
    with pytest.raises(NotImplementedError, match='Normal does not implement perplexity'):
        dist.perplexity(on(device, numpy.zeros((2, 2, 3))))
