"""Gradients with respect to parameters: log_prob, entropy, KL and reparameterised samples."""

from __future__ import annotations

import numpy
import pytest

import polychain.functions as F
from polychain import distributions as D
from polychain.gradient_check import check_backward

from .helpers import host, on, param

_TRIL = [[[1.2, 0.0], [0.3, 0.8]], [[0.7, 0.0], [-0.4, 1.1]]]

# (name, constructor, parameter values, points inside the support)
CASES = [
    ('normal', D.Normal, ([0.5, -1.0], [1.5, 0.5]), [[0.2, -0.3], [1.0, 2.0]]),
    ('normal_log_scale', lambda loc, s: D.Normal(loc, log_scale=s), ([0.5, -1.0], [0.2, -0.4]),
     [[0.2, -0.3]]),
    ('bernoulli', D.Bernoulli, ([0.3, 0.8],), [[1.0, 0.0], [0.0, 1.0]]),
    ('bernoulli_logit', lambda logit: D.Bernoulli(logit=logit), ([-0.5, 2.0],), [[1.0, 0.0]]),
    ('categorical_logit', lambda logit: D.Categorical(logit=logit),
     ([[0.1, -0.5, 1.0], [0.3, 0.2, -1.0]],), [[2, 0], [1, 1]]),
    ('uniform', D.Uniform, ([-1.0, 0.5], [2.0, 1.5]), [[0.0, 1.0]]),
    ('beta', D.Beta, ([1.5, 2.5], [3.0, 0.9]), [[0.3, 0.6]]),
    ('gamma', D.Gamma, ([1.5, 2.5], [0.8, 1.2]), [[0.3, 2.0]]),
    ('multivariate_normal', D.MultivariateNormal, ([[0.1, -0.2], [0.5, 0.3]], _TRIL),
     [[[0.0, 0.4], [1.0, -1.0]]]),
    ('cauchy', D.Cauchy, ([0.5, -1.0], [1.5, 0.5]), [[0.2, -0.3], [1.0, 2.0]]),
    ('chisquare', D.Chisquare, ([1.5, 3.0],), [[0.3, 2.0]]),
    ('dirichlet', D.Dirichlet, ([[1.5, 2.0, 0.7], [3.0, 0.9, 1.2]],),
     [[[0.2, 0.3, 0.5], [0.1, 0.6, 0.3]]]),
    ('exponential', D.Exponential, ([0.5, 2.0],), [[0.3, 2.0]]),
    ('geometric', D.Geometric, ([0.3, 0.6],), [[1.0, 3.0], [2.0, 1.0]]),
    ('gumbel', D.Gumbel, ([0.5, -1.0], [1.5, 0.5]), [[0.2, -0.3], [1.0, 2.0]]),
    ('laplace', D.Laplace, ([0.5, -1.0], [1.5, 0.5]), [[0.2, -0.3], [1.0, 2.0]]),
    ('log_normal', D.LogNormal, ([0.5, -1.0], [1.5, 0.5]), [[0.3, 2.0]]),
    ('one_hot_categorical', D.OneHotCategorical, ([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]],),
     [[[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]]),
    ('pareto', D.Pareto, ([1.0, 0.5], [2.5, 3.0]), [[1.5, 0.9]]),
    ('poisson', D.Poisson, ([0.5, 2.0],), [[0.0, 3.0]]),
    ('independent', lambda loc, scale: D.Independent(D.Normal(loc, scale)),
     ([[0.5, -1.0], [0.2, 0.3]], [[1.5, 0.5], [0.7, 1.1]]), [[[0.2, -0.3], [1.0, 2.0]]]),
]
IDS = [case[0] for case in CASES]
TOLERANCE = {'eps': 1e-4, 'atol': 1e-6, 'rtol': 1e-5}
# the second distribution of the KL checks: the first one's parameters scaled, or these
KL_OTHER = {'uniform': ([-2.0, 0.0], [3.0, 2.0])}


def _params(device, values):
    return tuple(on(device, v) for v in values)


def _points(device, name, points):
    return on(device, points, 'int64' if name.startswith('categorical') else 'float64')


@pytest.mark.parametrize('name, build, values, points', CASES, ids=IDS)
def test_log_prob_gradient(device, name, build, values, points):
    x = _points(device, name, points)
    check_backward(lambda *params: F.sum(build(*params).log_prob(x)),
                   _params(device, values), None, **TOLERANCE)


WITHOUT_ENTROPY = ('categorical_logit', 'poisson')
WITHOUT_KL = ('cauchy', 'chisquare')


@pytest.mark.parametrize('name, build, values, points',
                         [c for c in CASES if c[0] not in WITHOUT_ENTROPY] + [
                             ('categorical_p', D.Categorical, ([[0.2, 0.5, 0.3]],), None)],
                         ids=[i for i in IDS if i not in WITHOUT_ENTROPY] + ['categorical_p'])
def test_entropy_gradient(device, name, build, values, points):
    check_backward(lambda *params: F.sum(build(*params).entropy),
                   _params(device, values), None, **TOLERANCE)


@pytest.mark.parametrize('name, build, values, points',
                         [c for c in CASES if c[0] not in WITHOUT_KL],
                         ids=[i for i in IDS if i not in WITHOUT_KL])
def test_kl_gradient(device, name, build, values, points):
    other_values = KL_OTHER.get(name, [numpy.asarray(v) * 0.9 for v in values])
    other = build(*(on(device, v) for v in other_values))
    check_backward(lambda *params: F.sum(D.kl_divergence(build(*params), other)),
                   _params(device, values), None, **TOLERANCE)


@pytest.mark.parametrize('name, build, values', [
    ('normal', D.Normal, ([0.5, -1.0], [1.5, 0.5])),
    ('uniform', D.Uniform, ([-1.0, 0.5], [2.0, 1.5])),
    ('gamma_theta', lambda theta: D.Gamma(on(theta.device, [1.5, 2.5]), theta), ([0.8, 1.2],)),
    ('multivariate_normal', D.MultivariateNormal, ([[0.1, -0.2], [0.5, 0.3]], _TRIL)),
    ('cauchy', D.Cauchy, ([0.5, -1.0], [1.5, 0.5])),
    ('exponential', D.Exponential, ([0.5, 2.0],)),
    ('gumbel', D.Gumbel, ([0.5, -1.0], [1.5, 0.5])),
    ('laplace', D.Laplace, ([0.5, -1.0], [1.5, 0.5])),
    ('log_normal', D.LogNormal, ([0.5, -1.0], [0.4, 0.5])),
    ('pareto', D.Pareto, ([1.0, 0.5], [2.5, 3.0])),
], ids=['normal', 'uniform', 'gamma_theta', 'multivariate_normal', 'cauchy', 'exponential',
        'gumbel', 'laplace', 'log_normal', 'pareto'])
def test_reparameterised_sample_gradient(device, name, build, values):
    def sample(*params):
        numpy.random.seed(5)  # the same noise in every evaluation
        return F.sum(F.square(build(*params).sample(4)))
    check_backward(sample, _params(device, values), None, **TOLERANCE)


def test_normal_sample_gradient_is_the_noise(device):
    loc, scale = param(device, [0.5, -1.0]), param(device, [1.5, 0.5])
    numpy.random.seed(7)
    sample = D.Normal(loc, scale).sample(3)
    F.sum(sample).backward()
    numpy.random.seed(7)
    noise = numpy.random.standard_normal((3, 2))
    numpy.testing.assert_allclose(host(loc.grad), [3.0, 3.0])
    numpy.testing.assert_allclose(host(scale.grad), noise.sum(0))

