"""Shapes, parameters, repr and the errors users see."""

from __future__ import annotations

import numpy
import pytest

import polychain
from polychain import distributions as D

from .helpers import host, on, param


def test_chainer_names_are_exported():
    assert polychain.Distribution is D.Distribution
    assert polychain.kl_divergence is D.kl_divergence
    assert polychain.register_kl is D.register_kl


def test_batch_event_and_result_shapes(device):
    normal = D.Normal(param(device, numpy.zeros((2, 3))), param(device, 1.0))
    assert (normal.batch_shape, normal.event_shape) == ((2, 3), ())
    assert normal.log_prob(on(device, numpy.zeros((4, 2, 3)))).shape == (4, 2, 3)
    mvn = D.MultivariateNormal(param(device, numpy.zeros((2, 3))),
                               param(device, numpy.broadcast_to(numpy.eye(3), (2, 3, 3))))
    assert (mvn.batch_shape, mvn.event_shape) == ((2,), (3,))
    assert mvn.sample((5, 4)).shape == (5, 4, 2, 3)
    assert mvn.log_prob(on(device, numpy.zeros((5, 2, 3)))).shape == (5, 2)
    categorical = D.Categorical(logit=param(device, numpy.zeros((2, 4))))
    assert (categorical.batch_shape, categorical.event_shape) == ((2,), ())
    assert categorical.log_prob(on(device, numpy.zeros((6, 2)), 'int64')).shape == (6, 2)


def test_parameters_broadcast_together(device):
    dist = D.Gamma(param(device, [1.0, 2.0, 3.0]), param(device, 2.0))
    assert dist.batch_shape == (3,)
    numpy.testing.assert_allclose(host(dist.mean), [2.0, 4.0, 6.0])


def test_params_and_derived_parameters(device):
    dist = D.Normal(param(device, [0.0]), log_scale=param(device, [numpy.log(2.0)]))
    assert set(dist.params) == {'loc', 'scale'}
    numpy.testing.assert_allclose(host(dist.params['scale']), [2.0])
    bernoulli = D.Bernoulli(logit=param(device, [0.0]))
    numpy.testing.assert_allclose(host(bernoulli.p), [0.5])
    uniform = D.Uniform(loc=param(device, [1.0]), scale=param(device, [2.0]))
    numpy.testing.assert_allclose(host(uniform.high), [3.0])
    numpy.testing.assert_allclose(host(D.Uniform(param(device, [1.0]), param(device, [4.0])).loc),
                                  [1.0])


def test_log_probabilities_from_logits_stay_finite(device):
    categorical = D.Categorical(logit=param(device, [0.0, -800.0]))
    assert host(categorical.p)[1] == 0.0  # p underflows; log_prob must not use log(p)
    numpy.testing.assert_allclose(host(categorical.log_prob(on(device, [1], 'int64'))), [-800.0])
    bernoulli = D.Bernoulli(logit=param(device, [-800.0]))
    numpy.testing.assert_allclose(host(bernoulli.log_prob(on(device, [1.0]))), [-800.0])


def test_repr_names_class_parameters_and_device(device):
    text = repr(D.Beta(param(device, [1.0, 2.0], 'float32'), param(device, [1.0, 2.0],
                                                                   'float32')))
    assert text == f'Beta(a=<float32 (2,)>, b=<float32 (2,)>) on {device}'


def test_float32_parameters_give_float32_results(device):
    dist = D.Normal(param(device, [0.0, 1.0], 'float32'), param(device, [1.0, 2.0], 'float32'))
    x = on(device, [0.5, 0.5], 'float32')
    for value in (dist.log_prob(x), dist.cdf(x), dist.log_cdf(x), dist.entropy,
                  D.kl_divergence(dist, dist)):
        assert value.dtype == dist.loc.dtype


def test_python_numbers_are_accepted_as_points(device):
    dist = D.Normal(param(device, [0.0, 1.0]), param(device, [1.0, 1.0]))
    numpy.testing.assert_allclose(host(dist.cdf(1.0)), [0.841344746, 0.5])


@pytest.mark.parametrize('build, error, message', [
    (lambda d: D.Normal(param(d, [0.0])), ValueError,
     'Normal: expected exactly one of `scale` or `log_scale`, received none'),
    (lambda d: D.Normal(param(d, [0.0]), param(d, [1.0]), log_scale=param(d, [0.0])),
     ValueError, 'received scale, log_scale'),
    (lambda d: D.Normal(on(d, [0], 'int64'), param(d, [1.0])), TypeError,
     'Normal: expected a floating-point loc, received dtype'),
    (lambda d: D.Normal([0.0], param(d, [1.0])), TypeError,
     'Normal: expected an array or Variable as loc, received list'),
    (lambda d: D.Beta(param(d, [1.0, 2.0]), param(d, [1.0, 2.0, 3.0])), ValueError,
     r'Beta: expected parameters of shapes that broadcast together, received a\(2,\), b\(3,\)'),
    (lambda d: D.Bernoulli(), ValueError, 'Bernoulli: expected exactly one of `p` or `logit`'),
    (lambda d: D.Categorical(param(d, 0.5)), ValueError,
     r'Categorical: expected p with a category axis \(ndim >= 1\), received shape \(\)'),
    (lambda d: D.Uniform(param(d, [0.0]), scale=param(d, [1.0])), ValueError,
     'Uniform: expected either `low` and `high` or `loc` and `scale`, received low, scale'),
    (lambda d: D.MultivariateNormal(param(d, [0.0, 0.0]), param(d, numpy.eye(3))), ValueError,
     r'received loc\(2,\) and scale_tril\(3, 3\)'),
    (lambda d: D.Dirichlet(param(d, 0.5)), ValueError,
     r'Dirichlet: expected alpha with an event axis \(ndim >= 1\), received shape \(\)'),
    (lambda d: D.OneHotCategorical(param(d, 0.5)), ValueError,
     r'OneHotCategorical: expected p with a category axis'),
    (lambda d: D.Poisson(on(d, [1], 'int64')), TypeError,
     'Poisson: expected a floating-point lam, received dtype'),
    (lambda d: D.Laplace(param(d, [0.0, 1.0]), param(d, [1.0, 2.0, 3.0])), ValueError,
     'Laplace: expected parameters of shapes that broadcast together'),
])
def test_bad_arguments_raise_clear_errors(device, build, error, message):
    with pytest.raises(error, match=message):
        build(device)


def test_bernoulli_binary_check(device):
    dist = D.Bernoulli(param(device, [0.3, 0.6]), binary_check=True)
    outside = host(dist.log_prob(on(device, [0.0, 0.5])))
    assert outside[1] == -numpy.inf and outside[0] == pytest.approx(numpy.log(0.7))
    numpy.testing.assert_allclose(host(dist.log_prob(on(device, [1.0, 0.0]))),
                                  numpy.log([0.3, 0.4]))


def test_missing_methods_and_bad_sample_shapes_raise(device):
    dist = D.Beta(param(device, [1.0]), param(device, [2.0]))
    with pytest.raises(NotImplementedError, match='Beta does not implement cdf'):
        dist.cdf(on(device, [0.5]))
    with pytest.raises(ValueError, match=r'Beta.sample: expected sample_shape of non-negative'):
        dist.sample((2, -1))


_NEW = {
    'Cauchy': (lambda d, v: D.Cauchy(v, v + 1.0), 'real', ()),
    'Chisquare': (lambda d, v: D.Chisquare(v + 1.0), 'positive', ()),
    'Dirichlet': (lambda d, v: D.Dirichlet(v + 1.0), '[0, 1]', (2,)),
    'Exponential': (lambda d, v: D.Exponential(v + 1.0), 'positive', ()),
    'Geometric': (lambda d, v: D.Geometric(v * 0.5 + 0.2), 'positive integer', ()),
    'Gumbel': (lambda d, v: D.Gumbel(v, v + 1.0), 'real', ()),
    'Laplace': (lambda d, v: D.Laplace(v, v + 1.0), 'real', ()),
    'LogNormal': (lambda d, v: D.LogNormal(v, v + 1.0), 'positive', ()),
    'OneHotCategorical': (lambda d, v: D.OneHotCategorical(v * 0.0 + 0.5), None, (2,)),
    'Pareto': (lambda d, v: D.Pareto(v + 1.0, v + 3.0), '[scale, inf]', ()),
    'Poisson': (lambda d, v: D.Poisson(v + 1.0), 'non negative integer', ()),
}


@pytest.mark.parametrize('name', sorted(_NEW))
def test_new_distributions_shapes_support_and_dtype(device, name):
    build, support, event_shape = _NEW[name]
    values = param(device, [[0.1, 0.4], [0.3, 0.2]], 'float32')
    dist = build(device, values)
    assert getattr(polychain.distributions, name) is type(dist)
    assert name in polychain.distributions.__all__
    assert dist.event_shape == event_shape
    assert dist.batch_shape == (2, 2)[:2 - len(event_shape)]
    if support is not None:
        assert dist.support == support
    x = numpy.ones((3,) + dist.batch_shape + event_shape, dtype='float32')
    if name == 'Dirichlet':
        x = x / 2
    log_prob = dist.log_prob(device.send(x))
    assert log_prob.shape == (3,) + dist.batch_shape
    sample = dist.sample(4)
    assert sample.shape == (4,) + dist.batch_shape + event_shape
    moments = () if name == 'Cauchy' else (dist.mean,)  # Cauchy's mean warns that it is NaN
    for value in (log_prob, sample, *moments):
        assert value.dtype == values.dtype, name


def test_discrete_distributions_take_integer_points(device):
    x = on(device, [0, 3], 'int32')
    numpy.testing.assert_allclose(host(D.Poisson(param(device, [2.0, 2.0])).log_prob(x)),
                                  [-2.0, 3 * numpy.log(2.0) - numpy.log(6.0) - 2.0])
    numpy.testing.assert_allclose(host(D.Geometric(param(device, [0.5, 0.5])).log_prob(x)),
                                  [-numpy.inf, 3 * numpy.log(0.5)])
