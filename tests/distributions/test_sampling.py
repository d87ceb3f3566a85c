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
    }


NAMES = list(_distributions(polychain.get_device('@numpy')))


def _moments(dist, name):
    if name == 'categorical':
        p = host(dist.p)
        k = numpy.arange(p.shape[-1])
        mean = (p * k).sum(-1)
        return mean, (p * k ** 2).sum(-1) - mean ** 2
    return host(dist.mean), host(dist.variance)


@pytest.mark.parametrize('name', NAMES)
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
