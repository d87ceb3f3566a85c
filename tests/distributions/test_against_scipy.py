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
    Case('cauchy', {'loc': [0.5, -1.0, 2.0], 'scale': [1.5, 0.5, 2.0]},
         lambda loc, scale: D.Cauchy(loc, scale), lambda loc, scale: stats.cauchy(loc, scale),
         [[-30.0, 0.0, 1.0], [12.0, -1.0, 2.5]],
         {'log_prob': 'logpdf', 'prob': 'pdf', 'entropy': 'entropy', 'cdf': 'cdf'}),
    Case('chisquare', {'k': [1.0, 3.0, 7.5]},
         lambda k: D.Chisquare(k), lambda k: stats.chi2(k),
         [[0.3, 2.0, 9.0], [4.0, 0.1, -1.0]], _CONTINUOUS),
    Case('exponential', {'lam': [0.5, 2.0, 1.0]},
         lambda lam: D.Exponential(lam), lambda lam: stats.expon(scale=1 / lam),
         [[0.3, 2.0, 9.0], [4.0, 0.1, -1.0]],
         {**_CONTINUOUS, 'cdf': 'cdf', 'survival_function': 'sf'}),
    Case('geometric', {'p': [0.2, 0.7, 0.95]},
         lambda p: D.Geometric(p), lambda p: stats.geom(p),
         [[1.0, 3.0, 1.0], [5.0, 1.0, 0.0]],
         {'log_prob': 'logpmf', 'prob': 'pmf', 'mean': 'mean', 'variance': 'var',
          'entropy': 'entropy'}),
    Case('gumbel', {'loc': [0.5, -1.0, 2.0], 'scale': [1.5, 0.5, 2.0]},
         lambda loc, scale: D.Gumbel(loc, scale), lambda loc, scale: stats.gumbel_r(loc, scale),
         [[-3.0, 0.0, 1.0], [12.0, -1.0, 2.5]], {**_CONTINUOUS, 'cdf': 'cdf'}),
    Case('laplace', {'loc': [0.5, -1.0, 2.0], 'scale': [1.5, 0.5, 2.0]},
         lambda loc, scale: D.Laplace(loc, scale), lambda loc, scale: stats.laplace(loc, scale),
         [[-3.0, 0.0, 1.0], [12.0, -1.0, 2.5]], {**_CONTINUOUS, 'cdf': 'cdf'}),
    Case('log_normal', {'mu': [0.5, -1.0, 0.0], 'sigma': [1.5, 0.5, 0.3]},
         lambda mu, sigma: D.LogNormal(mu, sigma),
         lambda mu, sigma: stats.lognorm(sigma, scale=numpy.exp(mu)),
         [[0.3, 2.0, 1.0], [4.0, 0.1, -1.0]], _CONTINUOUS),
    Case('pareto', {'scale': [1.0, 0.5, 2.0], 'alpha': [3.5, 1.5, 0.8]},
         lambda scale, alpha: D.Pareto(scale, alpha),
         lambda scale, alpha: stats.pareto(alpha, scale=scale),
         [[1.5, 0.6, 2.5], [0.5, 3.0, -1.0]], _CONTINUOUS),
    Case('poisson', {'lam': [0.5, 2.0, 7.5]},
         lambda lam: D.Poisson(lam), lambda lam: stats.poisson(lam),
         [[0.0, 2.0, 9.0], [4.0, 1.0, -1.0]],
         {'log_prob': 'logpmf', 'prob': 'pmf', 'mean': 'mean', 'variance': 'var'}),
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


@pytest.mark.parametrize('build, reference', [
    (lambda loc, scale: D.Cauchy(loc, scale), stats.cauchy),
    (lambda loc, scale: D.Exponential(1 / scale), lambda loc, scale: stats.expon(scale=scale)),
    (lambda loc, scale: D.Gumbel(loc, scale), stats.gumbel_r),
    (lambda loc, scale: D.Laplace(loc, scale), stats.laplace),
], ids=['cauchy', 'exponential', 'gumbel', 'laplace'])
def test_icdf_matches_scipy_ppf(device, build, reference):
    loc, scale = numpy.array([0.5, -1.0, 2.0]), numpy.array([1.5, 0.5, 2.0])
    dist = build(param(device, loc), param(device, scale))
    q = numpy.array([[0.01, 0.5, 0.9], [0.3, 0.999, 0.2]])
    numpy.testing.assert_allclose(host(dist.icdf(device.send(q))),
                                  reference(loc, scale).ppf(q), rtol=1e-7, atol=1e-10)


def test_cauchy_mean_and_variance_warn_and_are_nan(device):
    dist = D.Cauchy(param(device, [0.5, -1.0]), param(device, [1.5, 0.5]))
    for name in ('mean', 'variance'):
        with pytest.warns(RuntimeWarning, match=f'{name.capitalize()} of the cauchy'):
            value = getattr(dist, name)
        assert value.shape == (2,) and numpy.all(numpy.isnan(host(value)))


def test_dirichlet_matches_scipy(device):
    alpha = numpy.array([[0.7, 2.0, 5.0], [1.5, 1.0, 0.4]])
    dist = D.Dirichlet(param(device, alpha))
    references = [stats.dirichlet(a) for a in alpha]
    x = numpy.array([[[0.2, 0.3, 0.5], [0.1, 0.6, 0.3]], [[0.7, 0.2, 0.1], [0.3, 0.3, 0.4]]])
    expected = [[r.logpdf(point) for r, point in zip(references, row)] for row in x]
    numpy.testing.assert_allclose(host(dist.log_prob(device.send(x))), expected, rtol=1e-7)
    for name, reference in (('mean', 'mean'), ('variance', 'var'), ('entropy', 'entropy')):
        numpy.testing.assert_allclose(host(getattr(dist, name)),
                                      [getattr(r, reference)() for r in references], rtol=1e-7)


def test_one_hot_categorical_matches_scipy(device):
    p = numpy.array([[0.2, 0.5, 0.3], [0.0, 0.9, 0.1]])
    dist = D.OneHotCategorical(param(device, p))
    x = numpy.array([[[0, 0, 1], [0, 1, 0]], [[1, 0, 0], [0, 0, 1]]], dtype='float64')
    expected = [[stats.multinomial(1, p[i]).logpmf(row[i]) for i in range(2)] for row in x]
    numpy.testing.assert_allclose(host(dist.log_prob(device.send(x))), expected)
    numpy.testing.assert_allclose(host(dist.entropy), [stats.entropy(row) for row in p])
    numpy.testing.assert_allclose(host(dist.mean), p)
    numpy.testing.assert_allclose(host(dist.variance), p * (1 - p))


def test_laplace_standard_cdf_and_icdf_are_inverse_and_differentiable(device):
    from polychain.distributions.laplace import _laplace_cdf, _laplace_icdf
    from polychain.gradient_check import check_backward

    x = numpy.array([-2.5, -0.3, 0.4, 3.0])
    numpy.testing.assert_allclose(host(_laplace_cdf(device.send(x))), stats.laplace.cdf(x))
    q = numpy.array([0.02, 0.3, 0.5, 0.97])
    numpy.testing.assert_allclose(host(_laplace_icdf(device.send(q))), stats.laplace.ppf(q),
                                  atol=1e-12)
    check_backward(_laplace_cdf, device.send(x), None, eps=1e-4, atol=1e-6, rtol=1e-5, seed=0)
    check_backward(_laplace_icdf, device.send(q[[0, 1, 3]]), None, eps=1e-4, atol=1e-6,
                   rtol=1e-5, seed=0)


def test_geometric_with_certain_success(device):
    dist = D.Geometric(param(device, [1.0, 1.0]))
    with numpy.errstate(divide='ignore', invalid='ignore'):
        numpy.testing.assert_array_equal(host(dist.log_prob(device.send(numpy.array([1.0, 2.0])))),
                                         [0.0, -numpy.inf])
    numpy.testing.assert_array_equal(host(dist.entropy), [0.0, 0.0])
