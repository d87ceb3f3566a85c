"""Chainer's device classes and the Device API that Chainer code calls."""

from __future__ import annotations

import contextlib

import numpy
import pytest

import polychain
from polychain import backend
from polychain.backend import (
    BackendUnavailable,
    ChainerxDevice,
    CpuDevice,
    GpuDevice,
    Intel64Device,
    to_host,
)


def _cupy_usable() -> bool:
    try:
        polychain.get_device('@cupy:0')
    except (ValueError, BackendUnavailable):
        return False
    return True


def test_cpu_device_is_the_numpy_device():
    device = polychain.get_device('@numpy')
    assert isinstance(device, CpuDevice)
    assert CpuDevice() is device
    assert CpuDevice() == device and not CpuDevice() != device
    assert isinstance(hash(CpuDevice()), int)
    assert repr(device) == '<CpuDevice (numpy)>'
    assert device.name == '@numpy' and str(device) == '@numpy'
    assert device.xp is numpy
    assert device.supported_array_types == (numpy.ndarray,)


def test_cpu_device_takes_no_arguments():
    with pytest.raises(TypeError, match='CpuDevice'):
        CpuDevice('@numpy')


@pytest.mark.parametrize('value', [None, 1, (), numpy.float32(1)])
def test_cpu_device_from_a_value_that_is_no_numpy_array_is_none(value):
    assert CpuDevice.from_array(value) is None


def test_cpu_device_from_arrays(device):
    x = device.send(numpy.ones(2, numpy.float32))
    expected = CpuDevice() if device.backend.name == 'numpy' else None
    assert CpuDevice.from_array(x) is expected


def test_other_backends_devices_are_not_cpu_devices(device):
    assert isinstance(device, CpuDevice) is (str(device) == '@numpy')


@pytest.mark.skipif(_cupy_usable(), reason='a CuPy device is usable here')
def test_gpu_device_without_cupy_says_why():
    class FakeCudaDevice:
        id = 0
    with pytest.raises(RuntimeError, match='cupy'):
        GpuDevice(FakeCudaDevice())
    with pytest.raises(RuntimeError, match='cupy'):
        GpuDevice.from_device_id(0)
    assert GpuDevice.from_array(numpy.ones(1)) is None


@pytest.mark.parametrize('device_id, error', [(-1, ValueError), ('0', TypeError),
                                              (True, TypeError), (None, TypeError)])
def test_gpu_device_from_a_bad_device_id(device_id, error):
    with pytest.raises(error, match='from_device_id'):
        GpuDevice.from_device_id(device_id)


@pytest.mark.skipif(not _cupy_usable(), reason='no usable CuPy device')
def test_gpu_device_is_the_cupy_device():
    import cupy
    device = polychain.get_device('@cupy:0')
    assert isinstance(device, GpuDevice)
    assert GpuDevice(cupy.cuda.Device(0)) is device
    assert GpuDevice.from_device_id(numpy.int64(0)) is device
    assert GpuDevice.from_array(cupy.ones(1)) is device
    assert device.device == cupy.cuda.Device(0)
    assert device.xp is cupy
    assert repr(device) == '<GpuDevice (cupy):0>'


@pytest.mark.parametrize('cls, name', [(Intel64Device, 'iDeep'), (ChainerxDevice, 'ChainerX')])
def test_ideep_and_chainerx_devices_are_unavailable(cls, name):
    with pytest.raises(RuntimeError, match=name):
        cls()
    assert cls.from_array(numpy.ones(2)) is None
    assert cls.from_array(None) is None


def test_chainerx_fallback_device_is_unavailable():
    with pytest.raises(RuntimeError, match='ChainerX'):
        ChainerxDevice.from_fallback_device(CpuDevice())


def test_send_array_moves_one_array(device):
    host = numpy.arange(3, dtype=numpy.float32)
    moved = device.send_array(host)
    assert device.is_array_supported(moved)
    numpy.testing.assert_array_equal(to_host(moved), host)


def test_is_array_supported_only_for_arrays_of_the_device(device):
    x = device.send(numpy.ones(2, numpy.float32))
    assert device.is_array_supported(x)
    assert not device.is_array_supported(None)
    assert not device.is_array_supported(numpy.float32(1))
    numpy_device = polychain.get_device('@numpy')
    assert numpy_device.is_array_supported(x) is (device is numpy_device)


def test_a_device_is_not_a_context_manager():
    with pytest.raises(RuntimeError, match='using_device'):
        with polychain.get_device('@numpy'):
            pass


def test_using_device_enters_the_backends_context(register_tagged, monkeypatch):
    register_tagged('tagged')
    device = polychain.get_device('@tagged:1')
    entered = []

    @contextlib.contextmanager
    def context(target):
        entered.append(target)
        yield target
        entered.append(None)
    monkeypatch.setattr(device.backend, 'create_context', context)
    with backend.using_device('@tagged:1'):
        assert entered == [device]
    assert entered == [device, None]


def test_using_device_without_a_current_device_does_nothing():
    with backend.using_device(-1) as entered:
        assert entered is CpuDevice()


def test_using_a_jax_device_makes_it_jaxs_default_device():
    jax = pytest.importorskip('jax')
    device = polychain.get_device('@jax:cpu:0')
    with backend.using_device(device):
        assert jax.numpy.ones(2).devices() == {device.native}


def test_using_device_rejects_a_bad_specifier_when_called():
    with pytest.raises(BackendUnavailable, match='ChainerX'):
        backend.using_device('native:0')
    with pytest.raises(TypeError):
        backend.using_device(('native', 0))


class _CopyingDevice(polychain.backend.Device):
    """A device written the Chainer way: class attributes and ``send_array``, no backend."""

    xp = numpy
    supported_array_types = (numpy.ndarray,)

    def __init__(self, index):
        self.index = index
        self.sent = 0

    def __str__(self):
        return f'@copying:{self.index}'

    def send_array(self, array):
        self.sent += 1
        return numpy.array(array, copy=True)


def test_a_chainer_style_device_subclass_sends_through_send_array():
    device = _CopyingDevice(3)
    x = numpy.ones(2)
    moved = device.send({'a': [x, None], 'b': x})
    assert device.sent == 2 and moved['a'][0] is not x and moved['a'][1] is None
    device.use()
    with backend.using_device(device):
        pass
    assert repr(device) == '<Device @copying:3>'


def test_a_link_moves_to_a_chainer_style_device():
    link = polychain.Link()
    with link.init_scope():
        link.p = polychain.Parameter(numpy.ones(2, numpy.float32))
    before = link.p.array
    device = _CopyingDevice(0)
    link.to_device(device)
    assert device.sent >= 1 and link.p.array is not before
    numpy.testing.assert_array_equal(link.p.array, before)
