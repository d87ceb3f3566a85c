"""Moving arrays between devices and finding where an array lives."""

from __future__ import annotations

import array_api_compat.numpy
import numpy
import pytest

import polychain
from polychain.backend import (
    get_array_module,
    get_device_from_array,
    get_namespace,
    registry,
    to_host,
)


def test_send_to_numpy_keeps_a_numpy_array():
    x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    assert polychain.get_device('@numpy').send(x) is x


def test_send_to_numpy_makes_a_numpy_scalar_an_array():
    sent = polychain.get_device('@numpy').send(numpy.float32(1.5))
    assert isinstance(sent, numpy.ndarray)
    assert sent.shape == ()
    assert sent.dtype == numpy.float32
    assert sent == 1.5


def test_send_lands_on_the_device_and_keeps_values(device):
    host = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    sent = device.send(host)
    assert get_device_from_array(sent) is device
    numpy.testing.assert_array_equal(to_host(sent), host)
    assert to_host(sent).dtype == numpy.float32


def test_send_keeps_the_structure_of_nested_containers(device):
    a = numpy.zeros((2,), dtype=numpy.float32)
    b = numpy.ones((3,), dtype=numpy.float64)
    sent = device.send({'pair': (a, [b, None]), 'scale': 2.0, 'count': 3})
    assert set(sent) == {'pair', 'scale', 'count'}
    assert isinstance(sent['pair'], tuple)
    assert isinstance(sent['pair'][1], list)
    assert sent['pair'][1][1] is None
    assert sent['scale'] == 2.0 and sent['count'] == 3
    for original, moved in [(a, sent['pair'][0]), (b, sent['pair'][1][0])]:
        assert get_device_from_array(moved) is device
        numpy.testing.assert_array_equal(to_host(moved), original)


def test_send_to_another_backend_goes_through_its_from_host(register_tagged):
    register_tagged('tagged')
    target = polychain.get_device('@tagged:1')
    sent = target.send(numpy.arange(3.0))
    assert target.backend.device_of(sent) is target
    numpy.testing.assert_array_equal(numpy.asarray(sent), [0.0, 1.0, 2.0])


def test_get_array_module_of_numpy_arrays_is_numpy_itself():
    assert get_array_module(numpy.zeros(2)) is numpy
    assert polychain.get_array_module(None, numpy.zeros(2)) is numpy
    assert polychain.get_device('@numpy').xp is numpy


def test_get_namespace_of_numpy_arrays_is_the_numpy_backends_namespace():
    xp = get_namespace(numpy.zeros(2))
    assert xp is polychain.get_device('@numpy').namespace
    assert get_namespace(None, polychain.Variable(numpy.zeros(2))) is xp
    # It is array-api-compat's NumPy namespace, with the same functions.
    assert xp.exp is array_api_compat.numpy.exp
    assert xp.__array_api_version__ == array_api_compat.numpy.__array_api_version__


def test_get_array_module_follows_the_device(device):
    x = device.send(numpy.zeros(2, dtype=numpy.float32))
    assert get_array_module(x) is device.xp
    assert get_array_module(polychain.Variable(x)) is device.xp
    assert get_array_module(1.0, x) is device.xp
    assert get_namespace(1.0, x) is device.namespace


@pytest.mark.parametrize('arguments', [(), (None,), (1, 2.5, True)])
def test_get_array_module_without_arrays_is_numpy(arguments):
    assert get_array_module(*arguments) is numpy
    assert get_namespace(*arguments) is polychain.get_device('@numpy').namespace


def test_get_device_from_array_of_numpy():
    assert get_device_from_array(numpy.zeros(1)) is polychain.get_device('@numpy')


@pytest.mark.parametrize('value', [[1.0, 2.0], object(), 'array'])
def test_registry_get_device_from_array_of_unknown_type_is_a_type_error(value):
    with pytest.raises(TypeError, match=type(value).__qualname__):
        registry.get_device_from_array(value)


@pytest.mark.parametrize('value', [None, 1, (), object()])
def test_chainers_get_device_from_array_falls_back_to_the_cpu(value):
    assert get_device_from_array(value) is polychain.backend.CpuDevice()


def test_to_host_passes_none_through():
    assert to_host(None) is None


def test_chainer_get_device_from_arrays_takes_the_first_one_off_the_host(device):
    x = device.send(numpy.zeros(1))
    assert polychain.backend.get_device_from_array(numpy.zeros(1), None, x) is device
    assert polychain.backend.get_device_from_array(None, 2.0) is polychain.get_device('@numpy')
    assert polychain.backend.get_device_from_array() is polychain.get_device('@numpy')
