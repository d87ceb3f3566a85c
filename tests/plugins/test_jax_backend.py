"""The JAX backend plugin: devices, transfer, random numbers, index hooks and kernels."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy
import pytest
from hook_checks import HOOK_CHECKS

import polychain
from polychain.backend import (
    get_array_module,
    get_backend,
    get_device_from_array,
    kernels,
    to_host,
)
from polychain_numpy.kernels import im2col_nd as numpy_im2col_nd

jax = pytest.importorskip('jax', reason='jax is not installed')
jnp = pytest.importorskip('jax.numpy')


@pytest.fixture
def jax_cpu():
    return polychain.get_device('@jax:cpu:0')


def test_backend_comes_from_the_entry_point():
    from polychain_jax import JaxBackend
    backend = get_backend('jax')
    assert isinstance(backend, JaxBackend)
    assert backend.namespace is jnp and backend.xp is jnp
    assert backend.describe().startswith(f'jax {jax.__version__} (')
    assert 'cpu' in backend.describe()


def test_specifiers_round_trip_and_give_cached_devices(jax_cpu):
    assert str(jax_cpu) == '@jax:cpu:0'
    assert polychain.get_device('@jax:cpu:0') is jax_cpu
    assert polychain.get_device('@jax:cpu') is jax_cpu
    assert polychain.get_device(str(jax_cpu)) is jax_cpu
    assert jax_cpu.native == jax.devices('cpu')[0]
    assert jax_cpu.namespace is jnp
    assert jax_cpu.xp.asarray is jnp.asarray and jax_cpu.xp.ndarray is jnp.ndarray


def test_bare_jax_is_the_default_device():
    default = polychain.get_device('@jax')
    assert default.native == jax.devices()[0]
    assert polychain.get_device(str(default)) is default
    assert get_backend('jax').devices()[0] is default


def test_devices_lists_every_local_device_once():
    listed = get_backend('jax').devices()
    assert [d.native for d in listed if d.native.platform == 'cpu'] == jax.local_devices(
        backend='cpu')
    assert len({str(d) for d in listed}) == len(listed)


@pytest.mark.parametrize('spec', ['@jax:cpu:99', '@jax:cpu:x', '@jax:nosuchchip:0',
                                  '@jax:cpu:0:0'])
def test_unknown_devices_raise_value_error_naming_spec_and_devices(spec):
    with pytest.raises(ValueError) as info:
        polychain.get_device(spec)
    assert spec in str(info.value)
    assert '@jax:cpu:0' in str(info.value)


def test_device_of_jax_arrays_is_the_cached_device(jax_cpu):
    x = jnp.arange(3.0)
    assert get_device_from_array(x) is polychain.get_device('@jax')
    y = jax.device_put(numpy.ones(2), jax.devices('cpu')[0])
    assert get_device_from_array(y) is jax_cpu
    assert get_device_from_array(jnp.sum(y)) is jax_cpu
    assert get_array_module(y) is jax_cpu.xp
    assert jax_cpu.is_array_supported(y)
    assert not jax_cpu.is_array_supported(numpy.ones(2))


def test_use_makes_jax_create_arrays_on_the_device(jax_cpu):
    try:
        jax_cpu.use()
        assert jnp.zeros(()).devices() == {jax_cpu.native}
        assert polychain.get_device('@jax') is jax_cpu
    finally:
        jax.config.update('jax_default_device', None)


@pytest.mark.parametrize('check', HOOK_CHECKS, ids=lambda check: check.__name__[6:])
def test_backend_hooks(jax_cpu, check):
    check(jax_cpu)


def test_get_item_index_with_jax_index_arrays_scatters_back(jax_cpu):
    x = polychain.Variable(jax_cpu.send(numpy.arange(5, dtype=numpy.float32)))
    y = x[jax_cpu.send(numpy.array([4, 0, 4]))]
    y.grad = jax_cpu.send(numpy.ones(3, dtype=numpy.float32))
    y.backward()
    numpy.testing.assert_array_equal(to_host(y.array), [4, 0, 4])
    numpy.testing.assert_array_equal(to_host(x.grad), [1, 0, 0, 0, 2])


@pytest.mark.parametrize('shape, ksize, stride, pad, dilate', [
    ((2, 3, 7, 6), (3, 3), (1, 1), (1, 1), (1, 1)),
    ((1, 2, 9, 8), (3, 2), (2, 3), (2, 0), (2, 1)),
    ((2, 1, 10), (4,), (3,), (1,), (1,)),
    ((1, 2, 5, 4, 6), (2, 2, 3), (1, 2, 2), (0, 1, 1), (1, 1, 2)),
])
@pytest.mark.parametrize('pad_value', [0, -numpy.inf])
def test_im2col_nd_equals_the_numpy_kernel(jax_cpu, rng, shape, ksize, stride, pad, dilate,
                                           pad_value):
    widths = ((0, 0), (0, 0)) + tuple((p, p) for p in pad)
    host = numpy.pad(rng.standard_normal(shape).astype(numpy.float32), widths,
                     constant_values=pad_value)
    expected = numpy_im2col_nd(host, ksize, stride, dilate)
    result = jax_cpu.kernel(kernels.im2col_nd)(jax_cpu.send(host), ksize, stride, dilate)
    assert get_device_from_array(result) is jax_cpu
    assert result.dtype == numpy.float32
    numpy.testing.assert_array_equal(to_host(result), expected)


def test_im2col_nd_rejects_a_window_larger_than_the_input(jax_cpu):
    with pytest.raises(ValueError, match='im2col_nd'):
        jax_cpu.kernel(kernels.im2col_nd)(jax_cpu.send(numpy.zeros((1, 1, 2, 2))), (3, 3),
                                          (1, 1), (1, 1))


def test_jax_is_imported_only_when_a_jax_device_is_asked_for():
    script = textwrap.dedent("""
        import sys
        import polychain
        assert 'jax' not in sys.modules
        polychain.get_device('@numpy')
        assert 'jax' not in sys.modules
        device = polychain.get_device('@jax:cpu:0')
        assert 'jax' in sys.modules
        import jax.numpy as jnp
        print(device.send(jnp.zeros(1)).dtype, jnp.zeros(1).dtype)
    """)
    result = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ['float64', 'float64']
