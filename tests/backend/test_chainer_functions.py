"""Chainer's ``chainer.backend`` functions: copyto, array types, compatibility, ChainerX."""

from __future__ import annotations

import numpy
import pytest

import polychain
from polychain import backend
from polychain.backend import to_host


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32])
def test_copyto_a_numpy_array_from_any_device(device, dtype):
    dst = numpy.zeros(4, dtype)
    backend.copyto(dst, device.send(numpy.arange(1, 5, dtype=numpy.float32)))
    assert dst.dtype == dtype
    numpy.testing.assert_array_equal(dst, [1, 2, 3, 4])


def test_copyto_broadcasts_the_source():
    dst = numpy.zeros((2, 3), numpy.float32)
    backend.copyto(dst, numpy.arange(3, dtype=numpy.float32))
    numpy.testing.assert_array_equal(dst, [[0, 1, 2], [0, 1, 2]])


@pytest.mark.parametrize('dst, src, name', [(numpy.zeros(1), None, 'src'),
                                            (None, numpy.zeros(1), 'dst'),
                                            ([0.0], numpy.zeros(1), 'dst')])
def test_copyto_rejects_what_is_not_an_array(dst, src, name):
    with pytest.raises(TypeError, match=f'copyto: expected an array as {name}'):
        backend.copyto(dst, src)


def test_copyto_an_immutable_array_is_a_type_error():
    pytest.importorskip('jax')
    dst = polychain.get_device('@jax:cpu:0').send(numpy.zeros(2))
    with pytest.raises(TypeError, match='copyto: cannot write into dst.*@jax:cpu:0'):
        backend.copyto(dst, numpy.ones(2))
    numpy.testing.assert_array_equal(to_host(dst), [0, 0])


def test_array_types_of_every_usable_backend(device):
    types = backend.get_array_types()
    assert numpy.ndarray in types and numpy.generic not in types
    assert isinstance(device.send(numpy.ones(1)), types)
    assert polychain.get_array_types is backend.get_array_types


def test_cpu_array_types_are_numpys():
    assert backend.get_cpu_array_types() == (numpy.ndarray,)
    assert polychain.get_cpu_array_types() == (numpy.ndarray,)


def test_arrays_of_one_backend_are_compatible(device):
    x = device.send(numpy.ones(2))
    assert backend.is_arrays_compatible([x, None, device.send(numpy.zeros(3))])
    assert backend.is_arrays_compatible([])
    assert polychain.is_arrays_compatible([None])


def test_arrays_of_two_backends_are_not_compatible():
    pytest.importorskip('jax')
    x = polychain.get_device('@jax:cpu:0').send(numpy.ones(2))
    assert not backend.is_arrays_compatible([numpy.ones(2), x])


def test_from_chx_returns_its_argument_and_to_chx_is_unavailable():
    x = numpy.ones(2)
    assert backend.from_chx(x) is x
    with pytest.raises(RuntimeError, match='ChainerX'):
        backend.to_chx(x)


def test_using_device_is_exported_at_the_top():
    assert polychain.using_device is backend.using_device
