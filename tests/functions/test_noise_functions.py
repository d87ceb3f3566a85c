"""Noise functions: seeded draws, statistics, scaling and ``config.train``."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host


def _ones(device, shape, dtype='float32'):
    return device.send(numpy.ones(shape, dtype=dtype))


def test_dropout_scales_kept_elements_and_drops_about_ratio(device):
    device.seed(0)
    y = to_host(F.dropout(_ones(device, (20000,)), 0.25).array)
    assert set(numpy.unique(y).tolist()) <= {0.0, numpy.float32(1 / 0.75)}
    assert abs((y == 0).mean() - 0.25) < 0.02


def test_dropout_is_reproducible_from_the_device_seed(device):
    device.seed(3)
    first = to_host(F.dropout(_ones(device, (50,))).array)
    device.seed(3)
    second = to_host(F.dropout(_ones(device, (50,))).array)
    numpy.testing.assert_array_equal(first, second)


def test_dropout_outside_training_is_the_identity(device):
    x = polychain.Variable(_ones(device, (3,)))
    with polychain.using_config('train', False):
        y, mask = F.dropout(x, 0.9, return_mask=True)
    assert y is x
    assert mask is None


def test_dropout_gradient_is_the_mask(device):
    x = polychain.Variable(_ones(device, (100,)))
    y, mask = F.dropout(x, 0.5, return_mask=True)
    F.sum(y).backward()
    numpy.testing.assert_array_equal(to_host(x.grad), to_host(mask))


@pytest.mark.parametrize('ratio', [-0.1, 1.0])
def test_dropout_rejects_a_ratio_outside_zero_to_one(device, ratio):
    with pytest.raises(ValueError, match=r'dropout: expected ratio in \[0, 1\)'):
        F.dropout(_ones(device, (2,)), ratio)


def test_gaussian_samples_have_the_given_moments(device):
    device.seed(1)
    mean = device.send(numpy.full((20000,), 2.0, 'float32'))
    ln_var = device.send(numpy.full((20000,), numpy.log(0.25), 'float32'))
    sample, eps = F.gaussian(mean, ln_var, return_eps=True)
    values = to_host(sample.array)
    assert abs(values.mean() - 2.0) < 0.02
    assert abs(values.std() - 0.5) < 0.02
    numpy.testing.assert_allclose(values, 2.0 + 0.5 * to_host(eps), rtol=1e-5)


def test_gumbel_softmax_picks_classes_by_their_probabilities(device):
    device.seed(2)
    probabilities = numpy.array([0.6, 0.3, 0.1])
    log_pi = device.send(numpy.tile(numpy.log(probabilities), (20000, 1)).astype('float32'))
    y = to_host(F.gumbel_softmax(log_pi, tau=0.01).array)
    numpy.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-5)
    frequencies = numpy.bincount(y.argmax(axis=1), minlength=3) / len(y)
    numpy.testing.assert_allclose(frequencies, probabilities, atol=0.02)


@pytest.mark.parametrize('dtype', ['float16', 'float32'])
def test_gumbel_softmax_stays_finite_when_a_draw_is_rounded_to_one(device, dtype, monkeypatch):
    if dtype == 'float16' and device.backend.name == 'strict':
        pytest.skip('array_api_strict has no float16')
    edges = numpy.array([[1.0, 0.5], [0.5, 1.0], [1.0, 1.0]], dtype)
    monkeypatch.setattr(device.random, 'uniform', lambda *args, **kwargs: device.send(edges))
    log_pi = device.send(numpy.log(numpy.full((3, 2), 0.5, dtype)))
    y = to_host(F.gumbel_softmax(log_pi, tau=0.1).array)
    assert numpy.isfinite(y).all()
    numpy.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-2)
    assert (y.argmax(axis=1)[:2] == [0, 1]).all()  # a draw of 1 gives the largest noise


def test_zoneout_keeps_the_previous_state_with_probability_ratio(device):
    device.seed(4)
    h = device.send(numpy.zeros((20000,), 'float32'))
    y = to_host(F.zoneout(h, _ones(device, (20000,)), ratio=0.3).array)
    assert abs((y == 0).mean() - 0.3) < 0.02
    with polychain.using_config('train', False):
        numpy.testing.assert_array_equal(to_host(F.zoneout(h, _ones(device, (3,))).array),
                                         numpy.ones(3))


def test_simplified_dropconnect_drops_weights_per_sample(device):
    device.seed(5)
    x = _ones(device, (2000, 10))
    W = _ones(device, (1, 10))  # noqa: N806
    y = to_host(F.simplified_dropconnect(x, W, ratio=0.5).array)
    # Each output sums ten weights kept with probability 1/2 and scaled by 2.
    assert abs(y.mean() - 10.0) < 0.3
    assert y.std() > 1.0
    shared = to_host(F.simplified_dropconnect(x, W, use_batchwise_mask=False).array)
    assert len(numpy.unique(shared)) == 1


def test_simplified_dropconnect_outside_training_is_linear(device, rng):
    x = device.send(rng.normal(size=(3, 4)).astype('float32'))
    W = device.send(rng.normal(size=(2, 4)).astype('float32'))  # noqa: N806
    y = F.simplified_dropconnect(x, W, train=False)
    numpy.testing.assert_allclose(to_host(y.array), to_host(F.linear(x, W).array), rtol=1e-6)


@pytest.mark.parametrize('batchwise', [True, False])
def test_simplified_dropconnect_is_one_node_with_its_mask(device, batchwise):
    x = polychain.Variable(device.send(numpy.ones((4, 3), dtype='float32')))
    W = polychain.Variable(device.send(numpy.ones((2, 3), dtype='float64')))
    y = F.simplified_dropconnect(x, W, None, 0.5, use_batchwise_mask=batchwise)
    assert y.dtype == x.dtype
    assert y.creator.mask.shape == ((4, 2, 3) if batchwise else (2, 3))
    F.sum(y).backward()
    assert x.grad.dtype == x.dtype and W.grad.dtype == W.dtype


@pytest.mark.parametrize('mask_shape', [(3, 2), (4, 3, 2)])
def test_simplified_dropconnect_refuses_a_mask_of_another_shape(mask_shape):
    x, W = numpy.ones((4, 3), 'f'), numpy.ones((2, 3), 'f')
    with pytest.raises(polychain.utils.type_check.InvalidType, match='mask.shape'):
        F.simplified_dropconnect(x, W, mask=numpy.ones(mask_shape, 'f'))
