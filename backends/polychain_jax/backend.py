"""JAX as a polychain backend, registered through the ``polychain.backends`` entry point."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy
from jax.extend import backend as jax_backends

from polychain.backend import Backend, Device, DeviceModule
from polychain_jax.compile import HOST_READ_ERRORS, compile_for, traced_device
from polychain_jax.kernels import KERNELS
from polychain_jax.random import JaxGenerator

_DLPACK_FAILURES = (TypeError, ValueError, RuntimeError, BufferError, AttributeError)


class JaxBackend(Backend):
    """Arrays are ``jax.Array`` on one JAX device each.

    Devices are ``@jax`` (JAX's default device), ``@jax:<platform>:<index>``
    (``@jax:cpu:0``, ``@jax:gpu:1``) and ``@jax:<platform>`` for the first
    device of a platform. ``@jax`` is the same :class:`Device` object as the
    specifier it resolves to. Creating the backend turns on JAX's 64-bit mode
    so that float64 arrays really are float64, and sets JAX's default matrix
    product precision to ``'highest'`` unless one was chosen, so that float32
    products on GPUs agree with the other backends.
    """

    name = 'jax'
    #: ``jax.numpy`` implements the Array API standard itself
    #: (``array_api_compat.array_namespace`` returns it for JAX arrays).
    namespace = jnp
    xp = jnp
    #: ``jax.core.Tracer``: the arrays of a compiled step while it is traced.
    array_types = (jax.Array, jax.core.Tracer)
    scalar_types = ()
    kernels = KERNELS
    fork_safe = False  # XLA's thread pools do not survive os.fork()

    def __init__(self) -> None:
        jax.config.update('jax_enable_x64', True)
        # float32 matrix products and convolutions in full float32 precision, as on the
        # other backends (GPUs would otherwise use TF32 or bfloat16 passes); a precision
        # the user chose is kept.
        if jax.config.jax_default_matmul_precision is None:
            jax.config.update('jax_default_matmul_precision', 'highest')
        self._by_native: dict[Any, Device] = {}

    def array_module(self, device: Device) -> DeviceModule:
        """``jax.numpy`` with NumPy's ``random`` drawing on ``device`` and ``numpy.testing``.

        JAX arrays have no memory layout, so ``asfortranarray`` and
        ``ascontiguousarray`` are ``asarray``.
        """
        return DeviceModule(jnp, device, testing=numpy.testing, asfortranarray=jnp.asarray,
                            ascontiguousarray=jnp.asarray)

    # -- devices ---------------------------------------------------------------
    def devices(self) -> Sequence[Device]:
        default = self._device_for(jax_backends.get_default_device())
        others = [self._device_for(native) for platform in self._platforms()
                  for native in jax.local_devices(backend=platform)]
        return [default] + [device for device in others if device is not default]

    def get_device(self, parts: Sequence[str]) -> Device:
        if not parts:
            return self._device_for(jax_backends.get_default_device())
        if len(parts) <= 2:
            natives = self._local_devices(parts[0])
            index = parts[1] if len(parts) == 2 else '0'
            if natives and index.isdigit() and int(index) < len(natives):
                return self._device_for(natives[int(index)])
        listed = ', '.join(str(device) for device in self.devices())
        raise ValueError(f'jax backend: unknown device "@jax:{":".join(parts)}"; expected '
                         f'"@jax", "@jax:<platform>" or "@jax:<platform>:<index>" among the '
                         f'devices JAX has: {listed}')

    def device_of(self, array: Any) -> Device:
        try:
            natives = array.devices()
        except jax.errors.ConcretizationTypeError:
            return traced_device()  # an array being traced by polychain's compile hook
        if len(natives) != 1:
            raise ValueError(f'jax backend: expected an array on a single device, received one '
                             f'sharded over {len(natives)} devices')
        native, = natives
        return self._device_for(native)

    def use_device(self, device: Device) -> None:
        """Makes ``device`` JAX's default device (``jax_default_device``).

        Arrays that JAX creates without an explicit device land there, and
        ``@jax`` resolves to it from then on; ``use()`` on another device
        reverts it.
        """
        jax.config.update('jax_default_device', device.native)

    def create_context(self, device: Device) -> Any:
        """``jax.default_device(native)``: JAX's default device within the block."""
        return jax.default_device(device.native)

    def _device_for(self, native: Any) -> Device:
        device = self._by_native.get(native)
        if device is None:
            index = jax.local_devices(backend=native.platform).index(native)
            spec = f'jax:{native.platform}:{index}'
            device = self._by_native.setdefault(native, Device(self, spec, native))
        return device

    @staticmethod
    def _platforms() -> list[str]:
        return sorted(jax_backends.backends())

    @staticmethod
    def _local_devices(platform: str) -> list[Any]:
        try:
            return jax.local_devices(backend=platform)
        except RuntimeError:
            return []

    # -- transfer --------------------------------------------------------------
    def to_host(self, array: Any) -> numpy.ndarray:
        return numpy.asarray(array)

    def from_host(self, array: numpy.ndarray, device: Device) -> jax.Array:
        return _copy_to(array, device)

    def send(self, array: Any, device: Device) -> jax.Array:
        if isinstance(array, jax.Array):
            if self.device_of(array) is device:
                return array
            return jax.device_put(array, device.native)
        if isinstance(array, (numpy.ndarray, numpy.generic)):
            return self.from_host(numpy.asarray(array), device)
        try:
            imported = jnp.from_dlpack(array)
        except _DLPACK_FAILURES:
            return super().send(array, device)
        if self.device_of(imported) is not device:
            # Imported where the buffer lives (a GPU): moving it copies.
            return jax.device_put(imported, device.native)
        return _copy_to(imported, device)

    # -- hooks -------------------------------------------------------------------
    def create_generator(self, device: Device, seed: int | None) -> JaxGenerator:
        return JaxGenerator(device, seed)

    def scatter_add(self, array: Any, indices: Any, values: Any) -> jax.Array:
        return array.at[indices].add(_cast(values, array.dtype))

    def index_update(self, array: Any, indices: Any, values: Any) -> jax.Array:
        return array.at[indices].set(_cast(values, array.dtype))

    def synchronize(self, arrays: Sequence[Any]) -> None:
        jax.block_until_ready([a for a in arrays if isinstance(a, jax.Array)])

    # -- compilation -----------------------------------------------------------
    host_read_errors = HOST_READ_ERRORS

    def compile(self, function: Any, device: Device,
                donate_argnums: tuple[int, ...] = ()) -> Any:
        return compile_for(function, device, donate_argnums)

    def to_host_many(self, arrays: Sequence[Any]) -> list[numpy.ndarray]:
        return [numpy.asarray(array) for array in jax.device_get(list(arrays))]

    def describe(self) -> str:
        return f'jax {jax.__version__} ({", ".join(self._platforms())})'


def _copy_to(array: Any, device: Device) -> jax.Array:
    """A JAX array on ``device`` that shares no memory with ``array``.

    The source stays writable by its owner (a NumPy array, a DLPack import of
    another library's buffer) while JAX arrays must never change.
    ``jax.device_put`` shares 64-byte aligned host buffers on CPU even with
    ``may_alias=False``: a NumPy source is copied on the host first, into a
    buffer nothing else refers to (about 6x faster than ``jnp.array(copy=True)``
    for a batch of MNIST), and other sources are copied by ``jnp.array``.
    """
    if isinstance(array, numpy.ndarray):
        return jax.device_put(numpy.array(array, copy=True), device.native)
    return jnp.array(array, device=device.native, copy=True)


def _cast(values: Any, dtype: Any) -> Any:
    """``values`` in ``dtype``: JAX warns when a scatter casts a wider dtype implicitly."""
    if getattr(values, 'dtype', dtype) == dtype:
        return values
    return jnp.asarray(values).astype(dtype)
