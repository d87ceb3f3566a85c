"""Snapshot writers that save in threads, processes and queue consumers."""

import os

import numpy
import pytest

import polychain as chainer
from polychain.serializers import load_npz
from polychain.training.extensions import snapshot_writers


def _link(value):
    link = chainer.Link()
    with link.init_scope():
        link.w = chainer.Parameter(numpy.full(3, value, numpy.float32))
    return link


@pytest.mark.parametrize('make', [
    snapshot_writers.SimpleWriter, snapshot_writers.ThreadWriter,
    snapshot_writers.ProcessWriter, snapshot_writers.ThreadQueueWriter,
    snapshot_writers.ProcessQueueWriter,
])
def test_writers_save_every_snapshot(tmp_path, make):
    writer = make()
    for i in range(3):
        writer(f'snap_{i}.npz', str(tmp_path), _link(float(i)))
    writer.finalize()
    for i in range(3):
        loaded = _link(-1.0)
        load_npz(os.path.join(str(tmp_path), f'snap_{i}.npz'), loaded)
        numpy.testing.assert_array_equal(loaded.w.array, numpy.full(3, float(i)))
    assert sorted(os.listdir(str(tmp_path))) == ['snap_0.npz', 'snap_1.npz', 'snap_2.npz']
