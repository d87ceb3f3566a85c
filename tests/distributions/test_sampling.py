"""Sampling: shapes, statistics, repeatability under numpy.random.seed, same draws everywhere."""

from __future__ import annotations

import numpy
import pytest

import polychain
from polychain import distributions as D

from .helpers import host, param

N_SAMPLES = 20000


def _distributions(device):
    rng = numpy.random.default_rng(3)
    tril = numpy.tril(rng.normal(size=(2, 3, 3)), -1) + numpy.eye(3)
    return {
        'normal': D.Normal(param(device, [0.5, -2.0]), param(device, [1.5, 0.3])),
        'bernoulli': D.Bernoulli(param(device, [0.2, 0.7])),
        'categorical': D.Categorical(param(device, [[0.2, 0.5, 0.3], [0.7, 0.0, 0.3]])),
        'uniform': D.Uniform(param(device, [-1.0, 2.0]), param(device, [1.0, 2.5])),
        'beta': D.Beta(param(device, [2.0, 0.5]), param(device, [3.0, 0.5])),
        'gamma': D.Gamma(param(device, [2.0, 0.5]), param(device, [1.5, 3.0])),
        'multivariate_normal': D.MultivariateNormal(param(device, rng.normal(size=(2, 3))),
                                                    param(device, tril)),
        'cauchy': D.Cauchy(param(device, [0.5, -2.0]), param(device, [1.5, 0.3])),
        'chisquare': D.Chisquare(param(device, [1.0, 4.5])),
        'dirichlet': D.Dirichlet(param(device, [[0.5, 2.0, 1.0], [3.0, 0.3, 1.5]])),
        'exponential': D.Exponential(param(device, [0.5, 3.0])),
        'geometric': D.Geometric(param(device, [0.2, 0.9])),
        'gumbel': D.Gumbel(param(device, [0.5, -2.0]), param(device, [1.5, 0.3])),
        'laplace': D.Laplace(param(device, [0.5, -2.0]), param(device, [1.5, 0.3])),
        'log_normal': D.LogNormal(param(device, [0.5, -2.0]), param(device, [0.4, 0.3])),
        'one_hot_categorical': D.OneHotCategorical(param(device, [[0.2, 0.5, 0.3],
                                                                  [0.7, 0.0, 0.3]])),
        'pareto': D.Pareto(param(device, [1.0, 0.5]), param(device, [10.0, 12.0])),
        'poisson': D.Poisson(param(device, [0.5, 7.0])),
        'independent': D.Independent(D.Normal(param(device, [[0.5, -2.0], [1.0, 0.0]]),
                                              param(device, [[1.5, 0.3], [0.2, 1.0]]))),
    }


NAMES = list(_distributions(polychain.get_device('@numpy')))
# the Cauchy distribution has no moments: see test_cauchy_sample_quartiles
WITH_MOMENTS = [name for name in NAMES if name != 'cauchy']


def _moments(dist, name):
    if name == 'categorical':
        p = host(dist.p)
        k = numpy.arange(p.shape[-1])
        mean = (p * k).sum(-1)
        return mean, (p * k ** 2).sum(-1) - mean ** 2
    return host(dist.mean), host(dist.variance)


@pytest.mark.parametrize('name', WITH_MOMENTS)
def test_sample_moments(device, name):
    dist = _distributions(device)[name]
    numpy.random.seed(0)
    samples = host(dist.sample(N_SAMPLES))
    assert samples.shape == (N_SAMPLES,) + dist.batch_shape + dist.event_shape
    mean, variance = _moments(dist, name)
    # five standard errors of the sample mean; a loose relative bound on the variance
    numpy.testing.assert_array_less(numpy.abs(samples.mean(0) - mean),
                                    5 * numpy.sqrt(variance / N_SAMPLES) + 1e-12)
    numpy.testing.assert_allclose(samples.var(0), variance, rtol=0.08)


@pytest.mark.parametrize('name', NAMES)
def test_seeding_numpy_repeats_samples_on_every_backend(device, name):
    dist = _distributions(device)[name]
    numpy.random.seed(42)
    first = host(dist.sample((2, 3)))
    numpy.random.seed(42)
    second = host(dist.sample((2, 3)))
    numpy.testing.assert_array_equal(first, second)
    reference = _distributions(polychain.get_device('@numpy'))[name]
    numpy.random.seed(42)
    numpy.testing.assert_allclose(first, host(reference.sample((2, 3))), rtol=1e-12)


@pytest.mark.parametrize('sample_shape, expected', [((), (2,)), (4, (4, 2)),
                                                    ((3, 5), (3, 5, 2)), ((0,), (0, 2))])
def test_sample_shape(device, sample_shape, expected):
    dist = D.Normal(param(device, [0.0, 1.0]), param(device, [1.0, 2.0]))
    assert dist.sample(sample_shape).shape == expected


def test_samples_keep_the_parameter_dtype_and_device(device):
    dist = D.Normal(param(device, [0.0], 'float32'), param(device, [1.0], 'float32'))
    sample = dist.sample(3)
    assert sample.device == device
    assert sample.dtype == dist.loc.dtype


def test_categorical_never_draws_impossible_categories(device):
    dist = D.Categorical(param(device, [[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]]))
    numpy.random.seed(1)
    samples = host(dist.sample(500))
    assert numpy.all(samples[:, 0] == 1)
    assert set(numpy.unique(samples[:, 1])) == {0, 2}


def test_cauchy_sample_quartiles(device):
    dist = _distributions(device)['cauchy']
    numpy.random.seed(0)
    samples = host(dist.sample(N_SAMPLES))
    quartiles = numpy.percentile(samples, [25, 50, 75], axis=0)
    expected = host(dist.icdf(device.send(numpy.array([[0.25], [0.5], [0.75]]))))
    numpy.testing.assert_allclose(quartiles, expected, atol=0.05)


def test_simplex_samples(device):
    dirichlet = _distributions(device)['dirichlet']
    one_hot = _distributions(device)['one_hot_categorical']
    numpy.random.seed(1)
    points = host(dirichlet.sample(500))
    assert numpy.all(points >= 0)
    numpy.testing.assert_allclose(points.sum(-1), 1.0)
    draws = host(one_hot.sample(500))
    assert set(numpy.unique(draws)) == {0.0, 1.0}
    numpy.testing.assert_array_equal(draws.sum(-1), 1.0)
    assert numpy.all(draws[:, 1, 1] == 0)  # a category of probability 0 is never drawn


def test_discrete_samples_are_integers_of_the_parameter_dtype(device):
    for name in ('geometric', 'poisson'):
        samples = _distributions(device)[name].sample(100)
        assert samples.dtype == _distributions(device)[name].dtype
        values = host(samples)
        numpy.testing.assert_array_equal(values, numpy.round(values))
