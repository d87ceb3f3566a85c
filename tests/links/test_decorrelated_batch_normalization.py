"""DecorrelatedBatchNormalization: statistics, modes and loading models of old Chainer."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.links as L
from polychain import serializers
from polychain.backend import to_host


def test_statistics_start_at_zero_mean_and_identity():
    link = L.DecorrelatedBatchNormalization(6, groups=2, dtype=numpy.float64)
    assert link.avg_mean.shape == (2, 3) and link.avg_mean.dtype == numpy.float64
    numpy.testing.assert_array_equal(link.avg_projection, numpy.stack([numpy.eye(3)] * 2))
    assert link.N == 0
    assert L.DecorrelatedBatchNormalization(8, groups=None, group_size=4).groups == 2
    with pytest.raises(ValueError, match='cannot satisfy size == groups \\* group_size'):
        L.DecorrelatedBatchNormalization(6, groups=4)


def test_training_updates_the_running_statistics_and_test_mode_uses_them(device):
    link = L.DecorrelatedBatchNormalization(2, groups=1, decay=0.5).to_device(device)
    x = device.send(numpy.random.default_rng(0).normal(size=(10, 2)).astype('f'))
    link(x)
    numpy.testing.assert_allclose(to_host(link.avg_mean), 0.5 * to_host(x).mean(axis=0)[None],
                                  rtol=1e-5)
    with polychain.using_config('train', False):
        y = link(x)
    mean, projection = to_host(link.avg_mean)[0], to_host(link.avg_projection)[0]
    numpy.testing.assert_allclose(to_host(y.array), (to_host(x) - mean) @ projection.T,
                                  rtol=1e-5, atol=1e-6)


def test_finetuning_averages_the_batches_cumulatively(device):
    link = L.DecorrelatedBatchNormalization(2, groups=1).to_device(device)
    rng = numpy.random.default_rng(1)
    batches = [rng.normal(size=(6, 2)).astype('f') for _ in range(3)]
    for batch in batches:
        link(device.send(batch), finetune=True)
    assert link.N == 3
    expected = numpy.mean([b.mean(axis=0) for b in batches], axis=0)
    numpy.testing.assert_allclose(to_host(link.avg_mean)[0], expected, rtol=1e-5)
    link.start_finetuning()
    assert link.N == 0


@pytest.mark.parametrize('groups', [1, 2])
def test_loads_statistics_saved_without_the_groups_axis(tmp_path, groups):
    path = str(tmp_path / 'old.npz')
    mean, projection = numpy.arange(2.0).astype('f'), numpy.full((2, 2), 3.0, 'f')
    numpy.savez(path, avg_mean=mean, avg_projection=projection, N=numpy.array(0))
    link = L.DecorrelatedBatchNormalization(2 * groups, groups=groups)
    if groups == 1:
        serializers.load_npz(path, link)
    else:
        with pytest.warns(UserWarning, match='old DecorrelatedBatchNormalization'):
            serializers.load_npz(path, link)
    numpy.testing.assert_array_equal(link.avg_mean, numpy.stack([mean] * groups))
    numpy.testing.assert_array_equal(link.avg_projection, numpy.stack([projection] * groups))
    assert link.avg_mean.dtype == numpy.float32


def test_saved_model_loads_back(tmp_path):
    path = str(tmp_path / 'model.npz')
    link = L.DecorrelatedBatchNormalization(4, groups=2)
    link(numpy.random.default_rng(2).normal(size=(5, 4)).astype('f'))
    serializers.save_npz(path, link)
    loaded = L.DecorrelatedBatchNormalization(4, groups=2)
    serializers.load_npz(path, loaded)
    numpy.testing.assert_array_equal(loaded.avg_projection, link.avg_projection)
    numpy.testing.assert_array_equal(loaded.avg_mean, link.avg_mean)
