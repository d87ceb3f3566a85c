"""Densities, distribution functions, moments and entropies against scipy.stats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy
import pytest
from scipy import stats

from polychain import distributions as D

from .helpers import host, param


@dataclass
class Case:
    """A distribution built from host parameters, with its scipy counterpart and test points."""

    name: str
    params: dict[str, list]
    build: Callable[..., D.Distribution]
    reference: Callable[..., Any]
    points: list
    methods: dict[str, str] = field(default_factory=dict)  # polychain name -> scipy name


_CONTINUOUS = {'log_prob': 'logpdf', 'prob': 'pdf', 'mean': 'mean', 'variance': 'var',
               'stddev': 'std', 'entropy': 'entropy'}
_DISTRIBUTION_FUNCTIONS = {'cdf': 'cdf', 'log_cdf': 'logcdf', 'survival_function': 'sf',
                           'log_survival_function': 'logsf'}

CASES = [
    Case('normal', {'loc': [0.5, -1.0, 2.0], 'scale': [1.5, 0.5, 2.0]},
         lambda loc, scale: D.Normal(loc, scale),
         lambda loc, scale: stats.norm(loc, scale),
         [[-30.0, 0.0, 1.0], [12.0, -1.0, 2.5]],
         {**_CONTINUOUS, **_DISTRIBUTION_FUNCTIONS}),
    Case('normal_log_scale', {'loc': [0.5, -1.0], 'log_scale': [0.3, -0.7]},
         lambda loc, log_scale: D.Normal(loc, log_scale=log_scale),
         lambda loc, log_scale: stats.norm(loc, numpy.exp(log_scale)),
         [[-2.0, 0.0]], {**_CONTINUOUS, **_DISTRIBUTION_FUNCTIONS}),
    Case('bernoulli_p', {'p': [0.2, 0.7, 0.5]},
         lambda p: D.Bernoulli(p), lambda p: stats.bernoulli(p),
         [[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]],
         {'log_prob': 'logpmf', 'prob': 'pmf', 'mean': 'mean', 'variance': 'var',
          'entropy': 'entropy'}),
    Case('bernoulli_logit', {'logit': [-3.0, 0.4, 25.0]},
         lambda logit: D.Bernoulli(logit=logit),
         lambda logit: stats.bernoulli(1 / (1 + numpy.exp(-logit))),
         [[0.0, 1.0, 1.0]], {'log_prob': 'logpmf', 'mean': 'mean', 'variance': 'var'}),
    Case('uniform', {'low': [-1.0, 0.5], 'high': [2.0, 0.75]},
         lambda low, high: D.Uniform(low, high),
         lambda low, high: stats.uniform(low, high - low),
         [[0.0, 0.6], [1.5, 0.7]], {**_CONTINUOUS, 'cdf': 'cdf'}),
    Case('uniform_loc_scale', {'loc': [-1.0, 0.5], 'scale': [3.0, 0.25]},
         lambda loc, scale: D.Uniform(loc=loc, scale=scale),
         lambda loc, scale: stats.uniform(loc, scale),
         [[0.0, 0.6]], {**_CONTINUOUS, 'cdf': 'cdf'}),
    Case('beta', {'a': [0.7, 2.0, 5.0], 'b': [1.5, 2.0, 0.9]},
         lambda a, b: D.Beta(a, b), lambda a, b: stats.beta(a, b),
         [[0.3, 0.5, 0.99], [0.01, 0.25, 0.5]], _CONTINUOUS),
    Case('gamma', {'k': [0.7, 2.0, 5.0], 'theta': [1.5, 0.5, 2.0]},
         lambda k, theta: D.Gamma(k, theta), lambda k, theta: stats.gamma(k, scale=theta),
         [[0.3, 1.0, 12.0], [4.0, 0.1, 9.0]], _CONTINUOUS),
]


def _pairs():
    return [pytest.param(case, method, reference, id=f'{case.name}-{method}')
            for case in CASES for method, reference in case.methods.items()]


@pytest.mark.parametrize('case, method, reference_name', _pairs())
def test_matches_scipy(device, case, method, reference_name):
    params = {name: param(device, values) for name, values in case.params.items()}
    dist = case.build(**params)
    reference = case.reference(**{k: numpy.asarray(v) for k, v in case.params.items()})
    value = getattr(dist, method)
    expected = getattr(reference, reference_name)
    if callable(value):
        points = numpy.asarray(case.points)
        actual = host(value(device.send(points)))
        expected = expected(points)
    else:
        actual, expected = host(value), expected()
    numpy.testing.assert_allclose(actual, expected, rtol=1e-7, atol=1e-10)


def test_normal_icdf_inverts_cdf(device):
    dist = D.Normal(param(device, [0.5, -1.0, 2.0]), param(device, [1.5, 0.5, 2.0]))
    q = numpy.array([[0.01, 0.5, 0.9]])
    numpy.testing.assert_allclose(host(dist.icdf(device.send(q))),
                                  stats.norm([0.5, -1.0, 2.0], [1.5, 0.5, 2.0]).ppf(q), rtol=1e-6)


def test_uniform_icdf_and_outside_support(device):
    dist = D.Uniform(param(device, [-1.0, 0.5]), param(device, [2.0, 0.75]))
    numpy.testing.assert_allclose(host(dist.icdf(device.send(numpy.array([0.5, 0.2])))),
                                  [0.5, 0.55])
    outside = device.send(numpy.array([[-1.5, 0.8], [2.5, 0.4]]))
    assert numpy.all(host(dist.log_prob(outside)) == -numpy.inf)
    numpy.testing.assert_array_equal(host(dist.cdf(outside)), [[0.0, 1.0], [1.0, 0.0]])


def test_log_prob_is_minus_inf_outside_support(device):
    beta = D.Beta(param(device, [2.0, 2.0]), param(device, [3.0, 3.0]))
    gamma = D.Gamma(param(device, [2.0, 2.0]), param(device, [3.0, 3.0]))
    bernoulli = D.Bernoulli(param(device, [0.3, 0.3]), binary_check=True)
    for dist, points in ((beta, [-0.5, 1.5]), (gamma, [-1.0, -0.1]), (bernoulli, [0.5, 2.0])):
        values = host(dist.log_prob(device.send(numpy.asarray(points))))
        assert numpy.all(values == -numpy.inf), type(dist).__name__


def test_bernoulli_without_binary_check_applies_the_formula_anywhere(device):
    p = numpy.array([0.3, 0.6])
    dist = D.Bernoulli(param(device, p))
    x = numpy.array([0.5, 2.0])
    expected = x * numpy.log(p) + (1 - x) * numpy.log1p(-p)
    numpy.testing.assert_allclose(host(dist.log_prob(device.send(x))), expected, rtol=1e-6)


def test_bernoulli_extreme_p_has_finite_entropy(device):
    dist = D.Bernoulli(param(device, [0.0, 1.0, 0.5]))
    numpy.testing.assert_allclose(host(dist.entropy), [0.0, 0.0, numpy.log(2)])
    numpy.testing.assert_allclose(host(dist.log_prob(device.send(numpy.array([0.0, 1.0, 1.0])))),
                                  [0.0, 0.0, -numpy.log(2)])


def test_categorical_log_prob_entropy_and_p(device):
    p = numpy.array([[0.2, 0.5, 0.3], [0.0, 0.9, 0.1]])
    dist = D.Categorical(param(device, p))
    x = numpy.array([[2, 1], [0, 2]])
    log_prob = host(dist.log_prob(device.send(x)))
    with numpy.errstate(divide='ignore'):
        numpy.testing.assert_allclose(log_prob, numpy.log(p[[0, 1], x]))
    numpy.testing.assert_allclose(host(dist.entropy), [stats.entropy(row) for row in p])
    logit = numpy.log(p[0]) + 4.0
    by_logit = D.Categorical(logit=param(device, logit))
    numpy.testing.assert_allclose(host(by_logit.p), p[0])
    numpy.testing.assert_allclose(host(by_logit.log_prob(device.send(numpy.array([0, 2])))),
                                  numpy.log(p[0, [0, 2]]))


def test_multivariate_normal_matches_scipy(device):
    rng = numpy.random.default_rng(0)
    loc = rng.normal(size=(2, 3))
    tril = numpy.tril(rng.normal(size=(2, 3, 3)), -1) + numpy.eye(3) * [[1.5], [0.5]][0]
    tril[1] += numpy.diag([0.3, 0.2, 0.4])
    dist = D.MultivariateNormal(param(device, loc), param(device, tril))
    x = rng.normal(size=(4, 2, 3))
    references = [stats.multivariate_normal(loc[i], tril[i] @ tril[i].T) for i in range(2)]
    expected = numpy.stack([references[i].logpdf(x[:, i]) for i in range(2)], axis=1)
    numpy.testing.assert_allclose(host(dist.log_prob(device.send(x))), expected, rtol=1e-7)
    numpy.testing.assert_allclose(host(dist.entropy), [r.entropy() for r in references])
    covariance = numpy.stack([r.cov for r in references])
    numpy.testing.assert_allclose(host(dist.covariance), covariance)
    numpy.testing.assert_allclose(host(dist.variance), numpy.diagonal(covariance, 0, 1, 2))
    numpy.testing.assert_allclose(host(dist.mean), loc)
