"""KL divergences against independent formulas and numerical integration."""

from __future__ import annotations

import numpy
import pytest
from scipy import integrate, stats

import polychain
from polychain import distributions as D

from .helpers import host, param


def _integrated_kl(p, q, low, high):
    """KL(p || q) of two scipy distributions by quadrature over [low, high]."""
    def integrand(x):
        density = p.pdf(x)  # 0 in the far tails, where the log-densities may be infinite
        return 0.0 if density == 0 else density * (p.logpdf(x) - q.logpdf(x))
    return integrate.quad(integrand, low, high, limit=200)[0]


CONTINUOUS = [
    ('normal', D.Normal, stats.norm, ([0.3, -1.0], [1.2, 0.4]), ([1.0, 0.5], [0.7, 2.0]),
     -numpy.inf, numpy.inf),
    ('beta', D.Beta, stats.beta, ([2.0, 0.8], [3.0, 1.7]), ([1.5, 2.5], [1.2, 4.0]), 0.0, 1.0),
    ('gamma', D.Gamma, lambda k, t: stats.gamma(k, scale=t), ([2.0, 1.5], [1.5, 0.7]),
     ([3.0, 1.2], [1.0, 2.0]), 0.0, numpy.inf),
    ('exponential', D.Exponential, lambda lam: stats.expon(scale=1 / lam), ([0.5, 2.0],),
     ([1.5, 0.7],), 0.0, numpy.inf),
    ('gumbel', D.Gumbel, stats.gumbel_r, ([0.3, -1.0], [1.2, 0.4]), ([1.0, 0.5], [0.7, 2.0]),
     -numpy.inf, numpy.inf),
    ('laplace', D.Laplace, stats.laplace, ([0.3, -1.0], [1.2, 0.4]), ([1.0, 0.5], [0.7, 2.0]),
     -80.0, 80.0),
    ('log_normal', D.LogNormal, lambda mu, sigma: stats.lognorm(sigma, scale=numpy.exp(mu)),
     ([0.3, -1.0], [1.2, 0.4]), ([1.0, 0.5], [0.7, 2.0]), 0.0, numpy.inf),
]


@pytest.mark.parametrize('name, cls, reference, params1, params2, low, high', CONTINUOUS,
                         ids=[case[0] for case in CONTINUOUS])
def test_continuous_kl_matches_quadrature(device, name, cls, reference, params1, params2,
                                          low, high):
    dist1 = cls(*(param(device, v) for v in params1))
    dist2 = cls(*(param(device, v) for v in params2))
    kl = host(D.kl_divergence(dist1, dist2))
    expected = [_integrated_kl(reference(*(v[i] for v in params1)),
                               reference(*(v[i] for v in params2)), low, high)
                for i in range(2)]
    numpy.testing.assert_allclose(kl, expected, rtol=1e-6, atol=1e-9)


def test_uniform_kl_is_log_width_ratio_or_inf(device):
    dist1 = D.Uniform(param(device, [0.0, 0.0]), param(device, [1.0, 3.0]))
    dist2 = D.Uniform(param(device, [-1.0, 1.0]), param(device, [3.0, 4.0]))
    numpy.testing.assert_allclose(host(D.kl_divergence(dist1, dist2)), [numpy.log(4.0), numpy.inf])


def test_discrete_kl(device):
    p, q = numpy.array([0.2, 0.9]), numpy.array([0.6, 0.3])
    bernoulli = D.kl_divergence(D.Bernoulli(param(device, p)),
                                D.Bernoulli(logit=param(device, numpy.log(q / (1 - q)))))
    expected = p * numpy.log(p / q) + (1 - p) * numpy.log((1 - p) / (1 - q))
    numpy.testing.assert_allclose(host(bernoulli), expected)
    cat_p = numpy.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]])
    cat_q = numpy.array([[0.1, 0.1, 0.8], [0.3, 0.3, 0.4]])
    categorical = D.kl_divergence(D.Categorical(param(device, cat_p)),
                                  D.Categorical(logit=param(device, numpy.log(cat_q) - 1.0)))
    numpy.testing.assert_allclose(host(categorical),
                                  [stats.entropy(a, b) for a, b in zip(cat_p, cat_q)])


def test_multivariate_normal_kl_matches_covariance_formula(device):
    rng = numpy.random.default_rng(1)
    loc1, loc2 = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    tril1 = numpy.tril(rng.normal(size=(2, 3, 3)), -1) + 1.2 * numpy.eye(3)
    tril2 = numpy.tril(rng.normal(size=(2, 3, 3)), -1) + 0.8 * numpy.eye(3)
    kl = D.kl_divergence(D.MultivariateNormal(param(device, loc1), param(device, tril1)),
                         D.MultivariateNormal(param(device, loc2), param(device, tril2)))
    expected = []
    for i in range(2):
        cov1, cov2 = tril1[i] @ tril1[i].T, tril2[i] @ tril2[i].T
        inv2 = numpy.linalg.inv(cov2)
        gap = loc2[i] - loc1[i]
        expected.append(0.5 * (numpy.trace(inv2 @ cov1) + gap @ inv2 @ gap - 3
                               + numpy.linalg.slogdet(cov2)[1] - numpy.linalg.slogdet(cov1)[1]))
    numpy.testing.assert_allclose(host(kl), expected, rtol=1e-7)


def test_unregistered_pair_raises_naming_both_types(device):
    normal = D.Normal(param(device, [0.0]), param(device, [1.0]))
    beta = D.Beta(param(device, [1.0]), param(device, [1.0]))
    with pytest.raises(NotImplementedError, match='Normal and Beta'):
        polychain.kl_divergence(normal, beta)


def test_register_kl_adds_a_pair_found_for_subclasses(device):
    class Shifted(D.Normal):
        pass

    @polychain.register_kl(Shifted, D.Beta)
    def _kl(dist1, dist2):
        return dist1.loc * 0.0 + 7.0

    shifted = Shifted(param(device, [0.0]), param(device, [1.0]))
    beta = D.Beta(param(device, [1.0]), param(device, [1.0]))
    numpy.testing.assert_allclose(host(polychain.kl_divergence(shifted, beta)), [7.0])
    # the Normal-Normal pair applies to subclasses of Normal too
    assert host(D.kl_divergence(shifted, shifted)) == pytest.approx([0.0])


def test_register_kl_rejects_non_distribution_types():
    with pytest.raises(TypeError, match='register_kl: expected a Distribution subclass as dist2'):
        polychain.register_kl(D.Normal, int)


def test_pareto_kl_matches_quadrature_or_is_inf(device):
    scale1, alpha1 = numpy.array([2.0, 1.5, 1.0]), numpy.array([3.0, 1.2, 2.0])
    scale2, alpha2 = numpy.array([1.0, 1.5, 1.2]), numpy.array([2.0, 2.5, 2.0])
    kl = host(D.kl_divergence(D.Pareto(param(device, scale1), param(device, alpha1)),
                              D.Pareto(param(device, scale2), param(device, alpha2))))
    expected = [_integrated_kl(stats.pareto(alpha1[i], scale=scale1[i]),
                               stats.pareto(alpha2[i], scale=scale2[i]), scale1[i], numpy.inf)
                for i in range(2)]
    numpy.testing.assert_allclose(kl[:2], expected, rtol=1e-6)
    assert kl[2] == numpy.inf  # dist1 has mass below the scale of dist2


@pytest.mark.parametrize('cls, reference, params1, params2, support', [
    (D.Geometric, stats.geom, [0.3, 0.8], [0.5, 0.2], numpy.arange(1, 400)),
    (D.Poisson, stats.poisson, [0.5, 6.0], [2.0, 3.5], numpy.arange(0, 200)),
], ids=['geometric', 'poisson'])
def test_discrete_kl_matches_summation(device, cls, reference, params1, params2, support):
    kl = host(D.kl_divergence(cls(param(device, params1)), cls(param(device, params2))))
    expected = []
    for p1, p2 in zip(params1, params2):
        p, q = reference(p1), reference(p2)
        expected.append(numpy.sum(p.pmf(support) * (p.logpmf(support) - q.logpmf(support))))
    numpy.testing.assert_allclose(kl, expected, rtol=1e-9)


def test_one_hot_categorical_kl_is_the_categorical_kl(device):
    p = numpy.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]])
    q = numpy.array([[0.1, 0.1, 0.8], [0.3, 0.3, 0.4]])
    kl = D.kl_divergence(D.OneHotCategorical(param(device, p)),
                         D.OneHotCategorical(param(device, q)))
    numpy.testing.assert_allclose(host(kl), [stats.entropy(a, b) for a, b in zip(p, q)])


def test_dirichlet_kl_matches_monte_carlo(device):
    alpha1 = numpy.array([[1.5, 2.0, 0.7], [3.0, 0.9, 1.2]])
    alpha2 = numpy.array([[1.0, 1.0, 1.0], [0.8, 2.5, 4.0]])
    kl = host(D.kl_divergence(D.Dirichlet(param(device, alpha1)),
                              D.Dirichlet(param(device, alpha2))))
    rng = numpy.random.default_rng(0)
    expected = []
    for a1, a2 in zip(alpha1, alpha2):
        x = rng.dirichlet(a1, size=200000)
        expected.append(numpy.mean(stats.dirichlet(a1).logpdf(x.T)
                                   - stats.dirichlet(a2).logpdf(x.T)))
    numpy.testing.assert_allclose(kl, expected, rtol=2e-2)


def test_independent_kl_sums_the_reinterpreted_axes(device):
    loc1, scale1 = numpy.array([[0.3, -1.0], [0.5, 0.1]]), numpy.array([[1.2, 0.4], [0.9, 2.0]])
    loc2, scale2 = numpy.array([[1.0, 0.5], [0.0, 0.2]]), numpy.array([[0.7, 2.0], [1.1, 0.5]])
    normal1 = D.Normal(param(device, loc1), param(device, scale1))
    normal2 = D.Normal(param(device, loc2), param(device, scale2))
    kl = D.kl_divergence(D.Independent(normal1), D.Independent(normal2))
    assert kl.shape == (2,)
    numpy.testing.assert_allclose(host(kl), host(D.kl_divergence(normal1, normal2)).sum(-1))
    with pytest.raises(ValueError, match='event shapes'):
        D.kl_divergence(D.Independent(normal1, 2), D.Independent(normal2, 1))
