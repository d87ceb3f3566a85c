"""Helpers Chainer's distributions expose: _bernoulli_log_prob, _triangular_inv, _modified_xlogx."""

import warnings

import numpy
import pytest

import polychain.functions as F
from polychain import Variable, distributions
from polychain.distributions import bernoulli, multivariate_normal


def test_bernoulli_log_prob_broadcasts_and_survives_infinite_logits():
    logit = numpy.array(0.4)
    x = numpy.array([0.0, 1.0, 0.5])
    p = 1 / (1 + numpy.exp(-0.4))
    expected = x * numpy.log(p) + (1 - x) * numpy.log(1 - p)
    numpy.testing.assert_allclose(bernoulli._bernoulli_log_prob(logit, x).array, expected,
                                  rtol=1e-6)
    logit = Variable(numpy.full(2, numpy.inf))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        y = bernoulli._bernoulli_log_prob(logit, numpy.array([1.0, 0.0]))
        numpy.testing.assert_array_equal(y.array, [0.0, -numpy.inf])
        F.sum(y).backward()


@pytest.mark.parametrize('lower', [True, False])
def test_triangular_inv_reads_one_triangle(lower):
    x = numpy.array([[2.0, 0.0], [1.0, 4.0]])
    x = x if lower else x.T
    noisy = x + (numpy.triu(numpy.ones((2, 2)), 1) if lower else numpy.tril(numpy.ones((2, 2)), -1))
    y = multivariate_normal._triangular_inv(noisy, lower=lower)
    numpy.testing.assert_allclose(y.array, numpy.linalg.inv(x))


def test_multivariate_normal_needs_scale_tril():
    with pytest.raises(ValueError, match='scale_tril'):
        distributions.MultivariateNormal(numpy.zeros(3))


def test_modified_xlogx_is_zero_at_zero_and_warns_in_its_gradient():
    x = Variable(numpy.array([0.0, 0.5]))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        y = distributions.utils._modified_xlogx(x)
    numpy.testing.assert_allclose(y.array, [0.0, 0.5 * numpy.log(0.5)])
    with pytest.warns(RuntimeWarning):
        F.sum(y).backward()
