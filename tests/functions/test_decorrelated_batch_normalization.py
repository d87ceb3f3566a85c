"""decorrelated_batch_normalization and its fixed variant: Chainer's semantics."""

from __future__ import annotations

import warnings

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import gradient_check
from polychain.backend import to_host


def _groups_of(y, groups):
    b, channels = y.shape[:2]
    return y.reshape(b, groups, channels // groups, -1).transpose(1, 2, 0, 3).reshape(
        groups, channels // groups, -1)


def test_output_of_each_group_is_centred_and_white(device):
    x = numpy.random.default_rng(0).normal(size=(6, 4, 5)) @ numpy.diag([1.0, 2, 3, 4, 5])
    y = to_host(F.decorrelated_batch_normalization(device.send(x), groups=2, eps=0.0).array)
    for group in _groups_of(y, 2):
        numpy.testing.assert_allclose(group.mean(axis=1), 0.0, atol=1e-10)
        numpy.testing.assert_allclose(group @ group.T / group.shape[1], numpy.eye(2), atol=1e-8)


def test_running_statistics_are_updated_in_place_or_returned(device):
    x = device.send(numpy.random.default_rng(1).normal(size=(8, 3)))
    mean = device.send(numpy.zeros((1, 3)))
    projection = device.send(numpy.eye(3)[None])
    y, new_mean, new_projection = F.decorrelated_batch_normalization(
        x, groups=1, running_mean=mean, running_projection=projection, decay=0.75,
        return_statistics=True)
    numpy.testing.assert_allclose(to_host(new_mean), 0.25 * to_host(x).mean(axis=0)[None])
    batch_projection = (to_host(new_projection) - 0.75 * numpy.eye(3)) / 0.25
    centred = to_host(x) - to_host(x).mean(axis=0)
    # The batch projection whitens the batch.
    white = centred @ batch_projection[0].T
    numpy.testing.assert_allclose(white.T @ white / 8, numpy.eye(3), atol=1e-3)


def test_repeated_eigenvalues_still_have_a_gradient():
    # 3 samples of 6 channels: the centred covariance has rank 2, the eigenvalue eps repeats.
    x = numpy.random.default_rng(2).uniform(-1, 1, (3, 6))
    gy = numpy.random.default_rng(3).uniform(-1, 1, (3, 6))
    gradient_check.check_backward(
        lambda v: F.decorrelated_batch_normalization(v, groups=1, eps=0.5), x, gy,
        atol=1e-6, rtol=1e-5)


def test_whitening_is_not_differentiated_twice():
    x = polychain.Variable(numpy.random.default_rng(4).uniform(-1, 1, (5, 2)))
    y = F.decorrelated_batch_normalization(x, groups=1)
    gx, = polychain.grad([F.sum(y * y * y)], [x], enable_double_backprop=True)
    with pytest.raises(NotImplementedError):
        F.sum(gx).backward()


def test_fixed_centres_and_projects_each_group(device):
    x = numpy.arange(12.0).reshape(3, 4)
    mean = numpy.array([[1.0, 2.0], [3.0, 4.0]])
    projection = numpy.array([[[2.0, 0.0], [1.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]])
    y = F.fixed_decorrelated_batch_normalization(device.send(x), device.send(mean),
                                                 device.send(projection), groups=2)
    centred = x - mean.reshape(1, 4)
    expected = numpy.concatenate([centred[:, :2] @ projection[0].T,
                                  centred[:, 2:] @ projection[1].T], axis=1)
    numpy.testing.assert_allclose(to_host(y.array), expected)


def test_fixed_takes_statistics_of_another_dtype():
    x = numpy.ones((2, 2), 'float64')
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        y = F.fixed_decorrelated_batch_normalization(x, numpy.zeros((1, 2), 'f'),
                                                     numpy.eye(2, dtype='f')[None], groups=1)
    assert y.dtype == numpy.float64


@pytest.mark.parametrize('groups', [3, 0, 1.5])
def test_groups_must_divide_the_channels(groups):
    with pytest.raises(ValueError, match='groups to be a positive int dividing the 4 channels'):
        F.decorrelated_batch_normalization(numpy.zeros((2, 4)), groups=groups)


def test_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError):
        F.decorrelated_batch_normalization(numpy.zeros((2, 4)), group=2)
