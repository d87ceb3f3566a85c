"""Chainer's ``cuda`` helpers on the backend registry, with and without CuPy."""

from __future__ import annotations

import sys

import numpy
import pytest

import polychain
from polychain import Variable, cuda
from polychain.backend import BackendUnavailable


def _cupy_usable() -> bool:
    try:
        polychain.get_device('@cupy:0')
    except (ValueError, BackendUnavailable):
        return False
    return True


needs_cupy = pytest.mark.skipif(not _cupy_usable(), reason='no usable CuPy device')
without_cupy = pytest.mark.skipif(_cupy_usable(), reason='a CuPy device is usable here')


def test_available_says_whether_a_cupy_device_is_usable():
    assert cuda.available is _cupy_usable()


def test_to_cpu_gives_numpy_arrays_from_every_device(device, rng):
    host = rng.standard_normal((2, 3)).astype(numpy.float32)
    result = cuda.to_cpu(device.send(host))
    assert type(result) is numpy.ndarray
    numpy.testing.assert_array_equal(result, host)


def test_to_cpu_keeps_numpy_arrays_none_and_container_types():
    a = numpy.arange(3)
    assert cuda.to_cpu(a) is a
    assert cuda.to_cpu(None) is None
    converted = cuda.to_cpu((a, None, [numpy.float32(2.5)]))
    assert isinstance(converted, tuple) and converted[0] is a and converted[1] is None
    assert isinstance(converted[2], list)
    assert type(converted[2][0]) is numpy.ndarray and converted[2][0].shape == ()


def test_to_cpu_rejects_variables_and_non_arrays():
    with pytest.raises(TypeError, match='to_cpu: .*Variable'):
        cuda.to_cpu(Variable(numpy.zeros(2, numpy.float32)))
    with pytest.raises(TypeError, match='to_cpu: .*str'):
        cuda.to_cpu('not an array')


def test_get_array_module_follows_arrays_and_variables(device):
    x = device.send(numpy.zeros(2, numpy.float32))
    assert cuda.get_array_module(x) is device.xp
    assert cuda.get_array_module(None, Variable(x)) is device.xp
    assert cuda.get_array_module(1.0) is polychain.get_device('@numpy').xp


def test_dummy_device_is_a_do_nothing_context_for_cpu_arrays():
    assert cuda.get_device_from_id(None) is cuda.DummyDevice
    assert int(cuda.DummyDevice) == -1 and cuda.DummyDevice.id == -1
    with cuda.get_device_from_array(numpy.zeros(2)) as device:
        device.use()
        device.synchronize()
    assert cuda.DummyDevice == cuda.DummyDeviceType()


def test_get_device_from_array_of_non_cupy_arrays_is_the_dummy_device(device):
    x = device.send(numpy.zeros(2, numpy.float32))
    expected = device.native if device.backend.name == 'cupy' else cuda.DummyDevice
    assert cuda.get_device_from_array(None, 3, Variable(x)) == expected


def test_deprecated_get_device_warns_and_dispatches():
    with pytest.warns(DeprecationWarning, match='get_device_from_id'):
        assert cuda.get_device(numpy.zeros(2)) is cuda.DummyDevice


@without_cupy
def test_gpu_transfers_explain_that_cuda_is_missing():
    with pytest.raises(RuntimeError, match="CUDA is not available: .*cupy"):
        cuda.to_gpu(numpy.zeros(2))
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        cuda.get_device_from_id(0)
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        cuda.check_cuda_available()


@without_cupy
def test_cupy_stand_ins_keep_user_checks_working():
    x = numpy.zeros(2)
    assert cuda.get_array_module(x) is not cuda.cupy
    assert not isinstance(x, cuda.ndarray)
    assert cuda.Device is cuda.DummyDeviceType
    with pytest.raises(RuntimeError, match='cuda.cupy.zeros: CuPy is not available'):
        cuda.cupy.zeros(2)


@needs_cupy
def test_to_gpu_sends_arrays_of_any_backend_to_the_chosen_gpu(device, rng):
    host = rng.standard_normal((2, 3)).astype(numpy.float32)
    gpu = cuda.to_gpu(device.send(host), device=0)
    assert isinstance(gpu, cuda.ndarray) and gpu.device.id == 0
    numpy.testing.assert_array_equal(cuda.to_cpu(gpu), host)
    assert cuda.to_gpu(gpu) is gpu
    assert cuda.to_gpu([None, host])[0] is None


@needs_cupy
def test_cupy_devices_and_module_are_cupys_own():
    import cupy
    assert cuda.cupy is cupy and cuda.ndarray is cupy.ndarray and cuda.Device is cupy.cuda.Device
    x = cuda.to_gpu(numpy.zeros(2, numpy.float32), device=cuda.get_device_from_id(0))
    assert cuda.get_device_from_array(x) == cupy.cuda.Device(0)
    assert cuda.get_device_from_id(0) == cupy.cuda.Device(0)
    assert cuda.get_array_module(x) is polychain.get_device('@cupy:0').xp


def test_to_cpu_converts_an_array_found_twice_once(device):
    a = device.send(numpy.ones(2, numpy.float32))
    converted = cuda.to_cpu([a, None, a])
    assert converted[0] is converted[2] and converted[1] is None


def test_device_classes_are_chainers():
    from polychain.backends import _cpu
    assert cuda.GpuDevice is polychain.backend.GpuDevice
    assert _cpu.CpuDevice is polychain.backend.CpuDevice


def test_cudnn_is_never_used():
    assert cuda.cudnn_enabled is False
    assert not cuda.should_use_cudnn('>=auto') and not cuda.should_use_cudnn('==always', 5000)
    assert polychain.should_use_cudnn is cuda.should_use_cudnn
    assert not cuda.should_use_cudnn_tensor_core(numpy.float16)
    with pytest.raises(ValueError, match='should_use_cudnn: expected level'):
        cuda.should_use_cudnn('auto')


def test_max_workspace_size_is_kept():
    size = cuda.get_max_workspace_size()
    try:
        cuda.set_max_workspace_size(1024)
        assert cuda.get_max_workspace_size() == 1024
    finally:
        cuda.set_max_workspace_size(size)


def test_memoize_caches_until_clear_memo():
    calls = []

    @cuda.memoize()
    def square(n):
        calls.append(n)
        return n * n
    assert square(3) == 9 and square(3) == 9 and square(4) == 16
    assert calls == [3, 4]
    cuda.clear_memo()
    assert square(3) == 9 and calls == [3, 4, 3]


@pytest.mark.parametrize('name', ['Stream', 'Event'])
def test_stream_and_event_need_cupy(name):
    cls = getattr(cuda, name)
    if _cupy_usable():
        assert cls is getattr(sys.modules['cupy'].cuda, name)
    else:
        assert not isinstance(object(), cls) and cls.__name__ == name
        with pytest.raises(RuntimeError, match=f'cuda.{name} needs CuPy'):
            cls()


def test_config_is_polychains():
    assert cuda.config is polychain.config


@without_cupy
@pytest.mark.parametrize('make', [
    lambda: cuda.copy(numpy.ones(2)),
    lambda: cuda.elementwise('T x', 'T y', 'y = x', 'copy_kernel'),
    lambda: cuda.reduce('T x', 'T y', 'x', 'a + b', 'y = a', '0', 'sum_kernel'),
    lambda: cuda.raw('extern "C" __global__ void f() {}', 'f'),
    lambda: cuda.get_cudnn_dropout_states_core(0),
], ids=['copy', 'elementwise', 'reduce', 'raw', 'dropout_states_core'])
def test_cupy_helpers_raise_without_cupy(make):
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        make()


def test_dropout_states_need_cudnn():
    with pytest.raises(RuntimeError, match='cuDNN is not enabled'):
        cuda.get_cudnn_dropout_states()


def test_fuse_runs_the_function_on_every_backend(device):
    @cuda.fuse
    def squared_diff(x, y):
        return (x - y) * (x - y)

    @cuda.fuse(kernel_name='scaled')
    def scaled(x):
        return x * 3

    x = device.send(numpy.array([1.0, 2.0], numpy.float32))
    y = device.send(numpy.array([3.0, 5.0], numpy.float32))
    numpy.testing.assert_array_equal(polychain.backend.to_host(squared_diff(x, y)), [4.0, 9.0])
    numpy.testing.assert_array_equal(polychain.backend.to_host(scaled(x)), [3.0, 6.0])
    assert squared_diff.__name__ == 'squared_diff'


@needs_cupy
def test_kernels_are_built_once_per_arguments():
    cupy = sys.modules['cupy']
    kernel = cuda.elementwise('T x', 'T y', 'y = x * 2', 'double_kernel')
    assert kernel is cuda.elementwise('T x', 'T y', 'y = x * 2', 'double_kernel')
    x = cupy.arange(3, dtype=cupy.float32)
    cupy.testing.assert_array_equal(kernel(x), x * 2)
    total = cuda.reduce('T x', 'T y', 'x', 'a + b', 'y = a', '0', 'total_kernel')
    assert float(total(x)) == 3.0
    copied = cuda.copy(x)
    assert copied is not x
    cupy.testing.assert_array_equal(copied, x)


def test_ideep_is_not_available():
    from polychain.backends import intel64
    assert intel64.is_ideep_available() is False
    assert intel64.should_use_ideep('>=auto') is False
    assert intel64.inputs_all_ready((numpy.ones((2, 2)),)) is False
    assert not isinstance(numpy.ones(2), intel64.mdarray)
    assert intel64.Intel64Device is polychain.backend.Intel64Device
    with pytest.raises(ValueError, match='should_use_ideep: expected level'):
        intel64.should_use_ideep('always')
    with pytest.raises(RuntimeError, match='iDeep'):
        intel64.check_ideep_available()
    with pytest.raises(RuntimeError, match='iDeep'):
        intel64.mdarray(numpy.ones(2))


def test_cpu_module_to_cpu_converts_arrays_and_tuples(device):
    from polychain.backends import _cpu
    x = device.send(numpy.arange(3, dtype=numpy.float32))
    assert _cpu._to_cpu(1.5) == numpy.asarray(1.5) and _cpu._to_cpu(2).shape == ()
    converted = _cpu._to_cpu((x, x))
    assert isinstance(converted, tuple) and type(converted[0]) is numpy.ndarray
    numpy.testing.assert_array_equal(converted[1], [0, 1, 2])
