"""The CuPy backend plugin: its devices and hooks on a GPU, and its report where it is unusable."""

from __future__ import annotations

import numpy
import pytest
from hook_checks import HOOK_CHECKS

import polychain
from polychain.backend import (
    BackendUnavailable,
    get_backend,
    get_device_from_array,
    list_backends,
    to_host,
)


def _unavailable_reason() -> str | None:
    try:
        get_backend('cupy')
    except BackendUnavailable as error:
        return str(error)
    return None


UNAVAILABLE = _unavailable_reason()
needs_gpu = pytest.mark.skipif(UNAVAILABLE is not None, reason=str(UNAVAILABLE))


@pytest.fixture
def cupy_device():
    return polychain.get_device('@cupy:0')


@pytest.mark.skipif(UNAVAILABLE is None, reason='cupy is usable here')
def test_unusable_cupy_is_listed_with_its_reason():
    info, = [info for info in list_backends() if info.name == 'cupy']
    assert not info.available
    assert 'cupy' in info.reason and ('cannot be imported' in info.reason or 'CUDA' in info.reason)
    with pytest.raises(BackendUnavailable, match='cupy'):
        polychain.get_device('@cupy:0')


@needs_gpu
def test_specifiers_give_cached_devices(cupy_device):
    import cupy
    assert str(cupy_device) == '@cupy:0'
    assert polychain.get_device('@cupy:0') is cupy_device
    assert polychain.get_device(0) is cupy_device
    assert cupy_device.native == cupy.cuda.Device(0)
    assert get_backend('cupy').devices()[0] is cupy_device
    assert get_backend('cupy').describe().startswith(f'cupy {cupy.__version__}')


@needs_gpu
@pytest.mark.parametrize('spec', ['@cupy', '@cupy:x', '@cupy:4096', '@cupy:0:0'])
def test_unknown_devices_raise_value_error_naming_spec(spec):
    with pytest.raises(ValueError, match=spec):
        polychain.get_device(spec)


@needs_gpu
def test_device_of_cupy_arrays(cupy_device):
    import cupy
    with cupy.cuda.Device(0):
        x = cupy.arange(3.0)
    assert get_device_from_array(x) is cupy_device
    assert get_device_from_array(cupy.sum(x)) is cupy_device
    assert polychain.get_array_module(x) is cupy_device.xp


@needs_gpu
def test_use_makes_the_gpu_current(cupy_device):
    import cupy
    cupy_device.use()
    assert cupy.cuda.Device().id == 0


@needs_gpu
@pytest.mark.parametrize('check', HOOK_CHECKS, ids=lambda check: check.__name__[6:])
def test_backend_hooks(cupy_device, check):
    check(cupy_device)


@needs_gpu
def test_send_between_gpus_copies_onto_the_target():
    import cupy
    if cupy.cuda.runtime.getDeviceCount() < 2:
        pytest.skip('needs two GPUs')
    source, target = polychain.get_device('@cupy:0'), polychain.get_device('@cupy:1')
    x = source.send(numpy.arange(4.0))
    moved = target.send(x)
    assert get_device_from_array(moved) is target
    numpy.testing.assert_array_equal(to_host(moved), numpy.arange(4.0))


@needs_gpu
def test_send_between_cupy_and_jax_gpu_keeps_values(cupy_device):
    jax = pytest.importorskip('jax')
    polychain.get_device('@jax')
    if not any(d.platform == 'gpu' for d in jax.devices()):
        pytest.skip('jax has no GPU here')
    jax_gpu = polychain.get_device('@jax:gpu:0')
    host = numpy.arange(6, dtype=numpy.float64).reshape(2, 3)
    on_jax = jax_gpu.send(cupy_device.send(host))
    back = cupy_device.send(on_jax)
    assert get_device_from_array(on_jax) is jax_gpu
    assert get_device_from_array(back) is cupy_device
    numpy.testing.assert_array_equal(to_host(back), host)
