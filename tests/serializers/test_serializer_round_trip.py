"""Saving to a file and loading back, in every format and across devices."""

from __future__ import annotations

import numpy
import pytest

import polychain
from polychain import serializers

from .serializer_checks import SKIP_WITHOUT_H5PY, Model, assert_same_state, host_state, predict

INPUT = numpy.linspace(-1.0, 1.0, 6, dtype='float32').reshape(2, 3)


def test_round_trip_restores_parameters_and_persistent_values(file_format, trained_model,
                                                              tmp_path):
    path = tmp_path / f'model{file_format.suffix}'
    file_format.save(path, trained_model)
    model = Model()

    file_format.load(path, model)

    assert_same_state(host_state(model), host_state(trained_model))
    assert (type(model.count), type(model.scale), type(model.flag), type(model.label)) == \
        (int, float, bool, str)
    assert model.mean.dtype == numpy.float32


def test_loading_initialises_lazy_parameters(file_format, tmp_path):
    trained = Model()
    path = tmp_path / f'model{file_format.suffix}'
    file_format.save(path, trained)
    model = Model(lazy=True)
    assert not model.l2.W.is_initialized

    file_format.load(path, model)

    assert model.l2.W.is_initialized
    numpy.testing.assert_array_equal(predict(model, INPUT), predict(trained, INPUT))


def test_uninitialised_parameters_round_trip_as_uninitialised(file_format, tmp_path):
    path = tmp_path / f'model{file_format.suffix}'
    file_format.save(path, Model(lazy=True))
    model = Model(lazy=True)

    file_format.load(path, model)

    assert not model.l2.W.is_initialized


def test_model_saved_on_any_device_loads_on_numpy(file_format, device, trained_model, tmp_path):
    trained_model.to_device(device)
    path = tmp_path / f'model{file_format.suffix}'
    file_format.save(path, trained_model)
    model = Model()

    file_format.load(path, model)

    assert model.device == polychain.get_device('@numpy')
    assert polychain.get_device_from_array(model.l1.W.array) == model.device
    numpy.testing.assert_allclose(predict(model, INPUT), predict(trained_model, INPUT),
                                  rtol=1e-6, atol=1e-6)


def test_model_saved_on_numpy_loads_on_any_device(file_format, device, trained_model,
                                                  tmp_path):
    path = tmp_path / f'model{file_format.suffix}'
    file_format.save(path, trained_model)
    model = Model(lazy=True).to_device(device)

    file_format.load(path, model)

    for name, array in (('l1/W', model.l1.W.array), ('l2/W', model.l2.W.array),
                        ('mean', model.mean)):
        assert polychain.get_device_from_array(array) == device, name
    assert_same_state(host_state(model), host_state(trained_model))
    numpy.testing.assert_allclose(predict(model, INPUT), predict(trained_model, INPUT),
                                  rtol=1e-6, atol=1e-6)


def test_compression_makes_compressible_files_smaller(tmp_path):
    model = Model()
    model.l1.W.array = numpy.zeros((4, 3), dtype='float32')
    model.add_persistent('table', numpy.zeros(4096, dtype='float32'))
    serializers.save_npz(tmp_path / 'small.npz', model)
    serializers.save_npz(tmp_path / 'large.npz', model, compression=False)

    assert (tmp_path / 'small.npz').stat().st_size < (tmp_path / 'large.npz').stat().st_size / 4
    for name in ('small.npz', 'large.npz'):
        loaded = Model()
        loaded.add_persistent('table', numpy.ones(4096, dtype='float32'))
        serializers.load_npz(tmp_path / name, loaded)
        assert_same_state(host_state(loaded), host_state(model))


def test_npz_round_trip_through_a_file_object(trained_model, tmp_path):
    path = tmp_path / 'model.npz'
    with open(path, 'wb') as stream:
        serializers.save_npz(stream, trained_model)
    model = Model()

    with open(path, 'rb') as stream:
        serializers.load_npz(stream, model)
        assert not stream.closed

    assert_same_state(host_state(model), host_state(trained_model))


class Snapshot:
    """Stands for a trainer snapshot: the model sits at ``updater/model:main``."""

    def __init__(self, model: Model) -> None:
        self.model = model

    def serialize(self, serializer):
        self.model.serialize(serializer['updater']['model:main'])


def test_path_loads_a_model_out_of_a_snapshot(file_format, trained_model, tmp_path):
    path = tmp_path / f'snapshot{file_format.suffix}'
    file_format.save(path, Snapshot(trained_model))
    model = Model()

    file_format.load(path, model, path='updater/model:main/')

    assert_same_state(host_state(model), host_state(trained_model))


def test_not_strict_keeps_values_missing_from_the_file(file_format, trained_model, tmp_path):
    path = tmp_path / f'model{file_format.suffix}'
    file_format.save(path, polychain.Chain(l1=trained_model.l1))
    model = Model()
    before = host_state(model)

    file_format.load(path, model, strict=False)

    after = host_state(model)
    numpy.testing.assert_array_equal(after['l1/W'], trained_model.l1.W.array)
    numpy.testing.assert_array_equal(after['l2/W'], before['l2/W'])
    assert after['count'] == before['count']


@pytest.mark.parametrize('ignore_names', ['l2/W', ['l2/W'], lambda key: key == 'l2/W'],
                         ids=['string', 'list', 'callable'])
def test_ignore_names_keeps_those_values(file_format, trained_model, tmp_path, ignore_names):
    path = tmp_path / f'model{file_format.suffix}'
    file_format.save(path, trained_model)
    model = Model()
    kept = numpy.array(model.l2.W.array)

    file_format.load(path, model, ignore_names=ignore_names)

    numpy.testing.assert_array_equal(model.l2.W.array, kept)
    numpy.testing.assert_array_equal(model.mean, trained_model.mean)
    numpy.testing.assert_array_equal(model.l1.W.array, trained_model.l1.W.array)


@SKIP_WITHOUT_H5PY
def test_hdf5_groups_hold_several_objects(trained_model, tmp_path):
    import h5py
    other = Model()
    with h5py.File(tmp_path / 'both.h5', 'w') as file:
        serializers.HDF5Serializer(file.create_group('first')).save(trained_model)
        serializers.HDF5Serializer(file.create_group('second')).save(other)
    first, second = Model(), Model()

    with h5py.File(tmp_path / 'both.h5', 'r') as file:
        serializers.HDF5Deserializer(file['first']).load(first)
        serializers.HDF5Deserializer(file['second']).load(second)

    assert_same_state(host_state(first), host_state(trained_model))
    assert_same_state(host_state(second), host_state(other))


def test_a_dictionary_is_saved_as_it_is_and_loads_into_a_model(file_format, tmp_path):
    """As in Chainer: a dict given to save_npz/save_hdf5 is written entry by entry."""
    trained = Model()
    flat = serializers.npz.serialize(trained)  # the entries the model itself would write
    path = tmp_path / f'model{file_format.suffix}'
    file_format.save(path, flat)
    model = Model()

    file_format.load(path, model)

    numpy.testing.assert_array_equal(predict(model, INPUT), predict(trained, INPUT))
