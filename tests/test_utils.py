"""``polychain.utils``: Chainer's array helpers, the experimental warning and WalkerAlias."""

from __future__ import annotations

import warnings

import numpy
import pytest

import polychain
from polychain import cuda, utils


def test_force_array_turns_scalars_into_arrays():
    result = utils.force_array(numpy.float32(2.5))
    assert type(result) is numpy.ndarray and result.shape == () and result.dtype == numpy.float32
    assert utils.force_array(3.0, numpy.float16).dtype == numpy.float16


def test_force_array_keeps_or_casts_arrays_of_every_backend(device):
    x = device.send(numpy.arange(3, dtype=numpy.float32))
    assert utils.force_array(x) is x
    cast = utils.force_array(x, numpy.float64)
    assert cast.dtype == device.xp.float64 and cuda.to_cpu(cast).tolist() == [0.0, 1.0, 2.0]


def test_force_type_converts_scalars_and_arrays(device):
    assert type(utils.force_type(numpy.dtype(numpy.float32), 1)) is numpy.float32
    x = device.send(numpy.ones(2, numpy.float32))
    assert utils.force_type(numpy.float32, x) is x
    assert utils.force_type(numpy.float64, x).dtype == device.xp.float64


def test_size_of_shape_is_a_python_int():
    assert utils.size_of_shape((2, 3, 4)) == 24 and utils.size_of_shape(()) == 1
    assert type(utils.size_of_shape(numpy.array([2, 3]))) is int


def test_experimental_warns_unless_disabled(monkeypatch):
    with pytest.warns(FutureWarning, match='MyLink.fuse is experimental'):
        utils.experimental('MyLink.fuse')
    monkeypatch.setattr(polychain, 'disable_experimental_feature_warning', True)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        utils.experimental('MyLink.fuse')


def test_walker_alias_samples_with_the_given_probabilities(device):
    probs = [5, 3, 4, 0, 2]
    device.seed(0)
    sampler = utils.WalkerAlias(probs, device=device)
    samples = sampler.sample((400, 100))
    assert samples.shape == (400, 100) and samples.dtype == device.xp.int32
    assert sampler.use_gpu is (device.backend.name == 'cupy')
    counts = numpy.bincount(cuda.to_cpu(samples).ravel(), minlength=len(probs))
    numpy.testing.assert_allclose(counts / counts.sum(), numpy.array(probs) / sum(probs),
                                  atol=0.01)
    assert counts[3] == 0


def test_walker_alias_is_repeatable_through_the_device_seed():
    sampler = utils.WalkerAlias([0.1, 0.2, 0.7])
    device = polychain.get_device('@numpy')
    device.seed(7)
    first = sampler.sample(50)
    device.seed(7)
    numpy.testing.assert_array_equal(sampler.sample(50), first)


def test_walker_alias_moves_between_devices(device):
    sampler = utils.WalkerAlias([1.0, 1.0]).to_device(device)
    assert sampler.device is device and device.is_array_supported(sampler.sample(3))
    with pytest.deprecated_call(match='to_cpu'):
        assert sampler.to_cpu().device is polychain.get_device('@numpy')


def test_walker_alias_rejects_invalid_probabilities():
    for probs in ([], [1.0, -1.0], [0.0, 0.0], [numpy.nan]):
        with pytest.raises(ValueError, match='WalkerAlias: expected'):
            utils.WalkerAlias(probs)
