"""Batch (re)normalization: running statistics handed back, Chainer's argument rules, dtypes."""

from __future__ import annotations

import warnings

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def _running_after(batches, mean, var, decay, axes):
    for x in batches:
        count = x.size // mean.size
        mean = decay * mean + (1 - decay) * x.mean(axis=axes)
        var = decay * var + (1 - decay) * x.var(axis=axes) * count / (count - 1)
    return mean, var


def test_batch_normalization_returns_running_statistics_of_every_step(device, dtype, rng):
    batches = [rng.normal(i, 1 + i, (4, 3, 2)).astype(dtype) for i in range(3)]
    gamma, beta = (device.send(numpy.full(3, v, dtype)) for v in (1.0, 0.0))
    mean, var = device.send(numpy.zeros(3, dtype)), device.send(numpy.ones(3, dtype))
    first_mean = mean
    for x in batches:
        _, mean, var = F.batch_normalization(device.send(x), gamma, beta, running_mean=mean,
                                             running_var=var, decay=0.8,
                                             return_statistics=True)
    expected = _running_after([b.astype('float64') for b in batches], numpy.zeros(3),
                              numpy.ones(3), 0.8, (0, 2))
    rtol = 1e-5 if dtype == 'float32' else 1e-12
    numpy.testing.assert_allclose(to_host(mean), expected[0], rtol=rtol, atol=rtol)
    numpy.testing.assert_allclose(to_host(var), expected[1], rtol=rtol)
    assert to_host(mean).dtype == dtype
    # Mutable arrays are written in place, as in Chainer; immutable ones are left as they were.
    if str(device).startswith('@jax'):
        numpy.testing.assert_array_equal(to_host(first_mean), numpy.zeros(3))
    else:
        assert mean is first_mean


@pytest.mark.parametrize('function', ['batch_normalization', 'batch_renormalization'])
def test_running_statistics_are_written_in_place_into_mutable_arrays(function, rng):
    x = rng.normal(size=(4, 3)).astype('float32')
    ones = numpy.ones(3, 'float32')
    mean, var = numpy.zeros(3, 'float32'), numpy.ones(3, 'float32')
    if function == 'batch_normalization':
        F.batch_normalization(x, ones, ones, running_mean=mean, running_var=var, decay=0.5)
    else:
        F.batch_renormalization(x, ones, ones, 2.0, 1.0, running_mean=mean, running_var=var,
                                decay=0.5, update_statistics=True)
    expected = _running_after([x.astype('float64')], numpy.zeros(3), numpy.ones(3), 0.5, (0,))
    numpy.testing.assert_allclose(mean, expected[0], rtol=1e-6)
    numpy.testing.assert_allclose(var, expected[1], rtol=1e-6)


def test_batch_renormalization_leaves_the_statistics_without_update_statistics(rng):
    mean, var = numpy.zeros(3, 'float32'), numpy.ones(3, 'float32')
    ones = numpy.ones(3, 'float32')
    F.batch_renormalization(rng.normal(size=(4, 3)).astype('float32'), ones, ones, 2.0, 1.0,
                            running_mean=mean, running_var=var)
    numpy.testing.assert_array_equal(mean, numpy.zeros(3))
    numpy.testing.assert_array_equal(var, numpy.ones(3))


@pytest.mark.parametrize('x_shape, gamma_shape, axis', [((1, 3), (3,), None),
                                                        ((1, 3, 1), (1, 3), 2)])
def test_batch_normalization_warns_of_one_sample_per_statistic(x_shape, gamma_shape, axis):
    gamma = numpy.ones(gamma_shape, 'float32')
    with pytest.warns(UserWarning, match='no more than one sample'):
        F.batch_normalization(numpy.ones(x_shape, 'float32'), gamma, gamma, axis=axis)


def test_fixed_batch_renormalization_is_deprecated_fixed_batch_normalization(rng):
    x = rng.normal(size=(4, 3)).astype('float32')
    params = [rng.uniform(0.5, 1, 3).astype('float32') for _ in range(4)]
    with pytest.warns(DeprecationWarning):
        y = F.fixed_batch_renormalization(x, *params, eps=0.1)
    numpy.testing.assert_array_equal(y.array,
                                     F.fixed_batch_normalization(x, *params, eps=0.1).array)


def test_batch_normalization_with_axis_keeps_channel_last(device, rng):
    x = rng.normal(size=(4, 2, 3)).astype('float32')
    gamma = device.send(numpy.ones(3, 'float32'))
    y = F.batch_normalization(device.send(x), gamma, gamma * 0, axis=(0, 1))
    centred = x - x.mean(axis=(0, 1))
    expected = centred / numpy.sqrt(x.var(axis=(0, 1)) + 2e-5)
    numpy.testing.assert_allclose(to_host(y.array), expected, rtol=1e-5, atol=1e-5)


def test_batch_normalization_statistics_arguments_are_checked():
    x, g = numpy.ones((2, 3), 'float32'), numpy.ones(3, 'float32')
    with pytest.raises(TypeError, match='running_mean and running_var both'):
        F.batch_normalization(x, g, g, running_mean=g)
    with pytest.raises(TypeError, match='return_statistics=True needs running_mean'):
        F.batch_normalization(x, g, g, return_statistics=True)


def test_batch_normalization_warns_when_the_statistics_cannot_be_written_in_place(device):
    x, g = (device.send(numpy.ones(s, 'float32')) for s in ((2, 3), (3,)))
    mean, var = (device.send(numpy.ones(3, 'float32')) for _ in range(2))
    if str(device).startswith('@jax'):
        with pytest.warns(UserWarning, match='return_statistics=True'):
            F.batch_normalization(x, g, g, running_mean=mean, running_var=var)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter('error')
            F.batch_normalization(x, g, g, running_mean=mean, running_var=var)


def test_batch_normalization_rejects_parameters_of_another_shape():
    x = numpy.ones((2, 3, 4), 'float32')
    with pytest.raises(InvalidType, match=r'gamma.shape == \(3,\)'):
        F.batch_normalization(x, numpy.ones(4, 'float32'), numpy.ones(3, 'float32'))
    with pytest.raises(ValueError, match='batch_normalization: expected axis'):
        F.batch_normalization(x, numpy.ones(3, 'float32'), numpy.ones(3, 'float32'), axis=3)


@pytest.mark.parametrize('function', ['batch_normalization', 'fixed_batch_normalization',
                                      'batch_renormalization'])
def test_parameters_may_have_another_dtype_than_the_input(device, rng, function):
    x = polychain.Variable(device.send(rng.normal(size=(5, 3)).astype('float32')))
    gamma = polychain.Variable(device.send(numpy.ones(3, 'float64')))
    beta = polychain.Variable(device.send(numpy.zeros(3, 'float64')))
    statistics = [device.send(numpy.full(3, v)) for v in (0.5, 2.0)]
    if function == 'batch_normalization':
        y = F.batch_normalization(x, gamma, beta)
    elif function == 'fixed_batch_normalization':
        y = F.fixed_batch_normalization(x, gamma, beta, *statistics)
    else:
        y = F.batch_renormalization(x, gamma, beta, 1.5, 0.5, running_mean=statistics[0],
                                    running_var=statistics[1])
    assert to_host(y.array).dtype == numpy.float32
    F.sum(y * y).backward()
    assert to_host(x.grad).dtype == numpy.float32
    assert to_host(gamma.grad).dtype == numpy.float64


def test_first_order_gradients_agree_with_and_without_double_backprop(device, rng):
    x_host = rng.normal(size=(6, 2, 3))
    gy = device.send(rng.normal(size=(6, 2, 3)))
    grads = []
    for double in (False, True):
        x = polychain.Variable(device.send(x_host))
        gamma = polychain.Variable(device.send(numpy.array([0.5, 2.0])))
        y = F.batch_normalization(x, gamma, device.send(numpy.zeros(2)))
        gx, ggamma = polychain.grad([y], [x, gamma], [polychain.Variable(gy)],
                                    enable_double_backprop=double)
        grads.append((to_host(gx.array), to_host(ggamma.array)))
    for single, double in zip(*grads):
        numpy.testing.assert_allclose(single, double, rtol=1e-12, atol=1e-12)


def test_fixed_batch_normalization_uses_the_given_statistics(device, rng):
    x = rng.normal(size=(4, 3)).astype('float32')
    mean, var = numpy.array([1.0, -1.0, 0.0], 'float32'), numpy.array([4.0, 1.0, 0.25], 'float32')
    ones = numpy.ones(3, 'float32')
    y = F.fixed_batch_normalization(*(device.send(a) for a in (x, ones, ones * 0, mean, var)),
                                    eps=0.0)
    numpy.testing.assert_allclose(to_host(y.array), (x - mean) / numpy.sqrt(var), rtol=1e-6)


def test_batch_renormalization_requires_running_statistics():
    x, g = numpy.ones((2, 3), 'float32'), numpy.ones(3, 'float32')
    with pytest.raises(TypeError, match='running_mean is required'):
        F.batch_renormalization(x, g, g, 1.0, 0.0)
    with pytest.raises(TypeError, match='running_var is required'):
        F.batch_renormalization(x, g, g, 1.0, 0.0, running_mean=g)


def test_batch_renormalization_without_correction_is_batch_normalization(device, rng):
    x = device.send(rng.normal(size=(5, 3, 2)))
    gamma, beta = device.send(rng.uniform(0.5, 1.5, 3)), device.send(rng.normal(size=3))
    mean, var = device.send(numpy.full(3, 3.0)), device.send(numpy.full(3, 9.0))
    renormalized, new_mean, new_var = F.batch_renormalization(
        x, gamma, beta, 1.0, 0.0, running_mean=mean * 1, running_var=var * 1, decay=0.7,
        update_statistics=True, return_statistics=True)
    normalized, bn_mean, bn_var = F.batch_normalization(
        x, gamma, beta, running_mean=mean * 1, running_var=var * 1, decay=0.7,
        return_statistics=True)
    numpy.testing.assert_allclose(to_host(renormalized.array), to_host(normalized.array),
                                  rtol=1e-12, atol=1e-12)
    numpy.testing.assert_allclose(to_host(new_mean), to_host(bn_mean), rtol=1e-12)
    numpy.testing.assert_allclose(to_host(new_var), to_host(bn_var), rtol=1e-12)


def test_batch_renormalization_clips_its_corrections(device, rng):
    x_host = rng.normal(size=(8, 2))
    x = device.send(x_host)
    ones = device.send(numpy.ones(2))
    # Running statistics far away: r = rmax and d = -dmax.
    y = F.batch_renormalization(x, ones, ones * 0, 1.5, 0.25,
                                running_mean=device.send(numpy.full(2, 10.0)),
                                running_var=device.send(numpy.full(2, 1e-4)))
    x_hat = (x_host - x_host.mean(0)) / numpy.sqrt(x_host.var(0) + 2e-5)
    numpy.testing.assert_allclose(to_host(y.array), x_hat * 1.5 - 0.25, rtol=1e-10, atol=1e-10)
