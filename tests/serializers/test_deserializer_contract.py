"""Chainer's deserializer contract: loading into a writable array fills it in place,
scalars load only within their kind, npz.serialize gives the saved dictionary, and an
HDF5 deserializer's children stand for sub-groups."""

import io

import numpy
import pytest

import polychain as chainer
from polychain.serializers import hdf5, npz


def _npz(**entries):
    stream = io.BytesIO()
    numpy.savez(stream, **entries)
    stream.seek(0)
    return numpy.load(stream, allow_pickle=True)


def test_loading_into_a_numpy_array_fills_it_in_place():
    data = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    target = numpy.zeros((2, 3), numpy.float32)
    assert npz.NpzDeserializer(_npz(y=data))('y', target) is target
    numpy.testing.assert_array_equal(target, data)


def test_loading_into_an_immutable_array_returns_a_new_one():
    jax_device = pytest.importorskip('jax') and chainer.get_device('@jax:cpu:0')
    target = jax_device.send(numpy.zeros(3, numpy.float32))
    loaded = npz.NpzDeserializer(_npz(y=numpy.ones(3, numpy.float32)))('y', target)
    assert loaded is not target and chainer.get_device_from_array(loaded) is jax_device
    numpy.testing.assert_array_equal(numpy.asarray(loaded), numpy.ones(3))


def test_a_failed_load_leaves_arrays_untouched():
    link = chainer.Link()
    with link.init_scope():
        link.a = chainer.Parameter(numpy.zeros(2, numpy.float32))
        link.b = chainer.Parameter(numpy.zeros(3, numpy.float32))
    stream = io.BytesIO()
    numpy.savez(stream, a=numpy.ones(2, numpy.float32), b=numpy.ones(4, numpy.float32))
    stream.seek(0)
    with pytest.raises(ValueError, match='shape'):
        npz.load_npz(stream, link)
    numpy.testing.assert_array_equal(link.a.array, numpy.zeros(2))


@pytest.mark.parametrize('key, value', [('i64', numpy.uint32(5)), ('f32', 5)])
def test_scalars_load_only_within_their_kind(key, value):
    source = _npz(i64=numpy.array(-2**60, numpy.int64), f32=numpy.array(1.5, numpy.float32))
    with pytest.raises(TypeError, match='cannot load a value of dtype'):
        npz.NpzDeserializer(source)(key, value)


def test_serialize_gives_the_dictionary_save_npz_writes():
    link = chainer.Link()
    with link.init_scope():
        link.w = chainer.Parameter(numpy.ones(2, numpy.float32))
    target = npz.serialize(link)
    assert list(target) == ['w'] and isinstance(target['w'], numpy.ndarray)


def test_hdf5_children_stand_for_sub_groups(tmp_path):
    h5py = pytest.importorskip('h5py')
    assert hdf5._available
    path = str(tmp_path / 'f.h5')
    with h5py.File(path, 'w') as f:
        f.require_group('x').create_dataset('y', data=numpy.arange(3))
    with h5py.File(path, 'r') as f:
        deserializer = hdf5.HDF5Deserializer(f)
        child = deserializer['x']
        assert child.group.name == '/x' and deserializer['missing'].group is None
        numpy.testing.assert_array_equal(child('y', numpy.zeros(3, numpy.int64)), [0, 1, 2])


def test_hdf5_none_needs_h5py_empty(tmp_path, monkeypatch):
    h5py = pytest.importorskip('h5py')
    monkeypatch.setattr(h5py.version, 'version_tuple', (2, 6, 0))
    with h5py.File(str(tmp_path / 'f.h5'), 'w') as f:
        with pytest.raises(RuntimeError, match='h5py 2.7.0'):
            hdf5.HDF5Serializer(f)('x', None)
