"""The protocol itself: what serializers record and what deserializers return."""

from __future__ import annotations

import numpy
import pytest

import polychain
from polychain.backend import to_host
from polychain.serializers import DictionarySerializer, NpzDeserializer


def test_dictionary_serializer_records_host_values_and_returns_the_value(device):
    array = device.send(numpy.arange(6, dtype='float32').reshape(2, 3))
    target = {}
    serializer = DictionarySerializer(target)

    assert serializer('/W', array) is array
    assert serializer('count', 3) == 3
    assert serializer('missing', None) is None
    child = serializer['/l1/']['inner']
    child('b', 1.5)

    assert set(target) == {'W', 'count', 'missing', 'l1/inner/b'}
    assert type(target['W']) is numpy.ndarray
    numpy.testing.assert_array_equal(target['W'], numpy.arange(6).reshape(2, 3))
    assert target['count'] == 3 and target['l1/inner/b'] == 1.5
    assert target['missing'].shape == () and target['missing'][()] is None


def test_loaded_array_takes_the_device_and_dtype_of_the_current_value(device):
    current = device.send(numpy.zeros((2, 3), dtype='float32'))
    stored = numpy.arange(6, dtype='float64').reshape(2, 3)

    loaded = NpzDeserializer({'W': stored})('W', current)

    assert polychain.get_device_from_array(loaded) == device
    assert loaded.dtype == current.dtype
    numpy.testing.assert_array_equal(to_host(loaded), stored)


def test_shape_mismatch_names_the_key_and_both_shapes(device):
    current = device.send(numpy.zeros((2, 3), dtype='float32'))
    deserializer = NpzDeserializer({'l1/W': numpy.zeros((3, 2))}, source="'model.npz'")

    with pytest.raises(ValueError, match=r"'l1/W' from 'model.npz': expected shape \(2, 3\), "
                                         r'received shape \(3, 2\)'):
        deserializer['l1']('W', current)


@pytest.mark.parametrize(('current', 'stored', 'expected'), [
    (0, numpy.asarray(7), 7),
    (0.0, numpy.asarray(0.5), 0.5),
    (False, numpy.asarray(True), True),
    ('', numpy.asarray('adam'), 'adam'),
    (numpy.float32(0), numpy.asarray(2.5), numpy.float32(2.5)),
])
def test_loaded_scalar_takes_the_type_of_the_current_value(current, stored, expected):
    loaded = NpzDeserializer({'x': stored})('x', current)

    assert type(loaded) is type(expected)
    assert loaded == expected


def test_current_none_receives_the_stored_host_array():
    stored = numpy.arange(4.0)

    loaded = NpzDeserializer({'order': stored})('order', None)

    assert type(loaded) is numpy.ndarray
    numpy.testing.assert_array_equal(loaded, stored)


def test_stored_none_loads_as_none():
    target = {}
    DictionarySerializer(target)('state', None)

    assert NpzDeserializer(target)('state', numpy.zeros(2)) is None


def test_missing_key_raises_unless_not_strict():
    current = numpy.ones(2)

    with pytest.raises(KeyError, match="the dict given has no entry 'sub/W'"):
        NpzDeserializer({}, path='sub/')('W', current)
    assert NpzDeserializer({}, strict=False)('W', current) is current


def test_ignore_names_keeps_the_current_values():
    stored = {'l1/W': numpy.ones(2), 'l1/b': numpy.ones(2), 'l2/W': numpy.ones(2)}
    current = numpy.zeros(2)
    deserializer = NpzDeserializer(stored, ignore_names=['l1/W', lambda key: key.startswith('l2')])

    assert deserializer['l1']('W', current) is current
    assert deserializer['l2']('W', current) is current
    numpy.testing.assert_array_equal(deserializer['l1']('b', current), numpy.ones(2))


def test_ignore_names_of_the_wrong_type_are_rejected():
    with pytest.raises(ValueError, match='ignore_names to be a string, a callable or a list'):
        NpzDeserializer({}, ignore_names=[3])


def test_path_selects_a_sub_tree():
    stored = {'updater/model:main/W': numpy.full(2, 3.0), 'W': numpy.zeros(2)}

    loaded = NpzDeserializer(stored, path='updater/model:main/')('W', numpy.ones(2))

    numpy.testing.assert_array_equal(loaded, numpy.full(2, 3.0))
