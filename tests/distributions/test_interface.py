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
