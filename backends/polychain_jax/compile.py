"""``jax.jit`` behind polychain's compile hook, and the device of traced arrays."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import jax

from polychain.backend import Device

#: What JAX raises when traced code needs a concrete value on the host.
HOST_READ_ERRORS = (jax.errors.ConcretizationTypeError, jax.errors.TracerArrayConversionError,
                    jax.errors.TracerBoolConversionError,
                    jax.errors.TracerIntegerConversionError)

_tracing = threading.local()


def traced_device() -> Device:
    """The device of the compilation being traced in this thread.

    Raises:
        ValueError: No polychain compilation is being traced (a tracer of
            the user's own ``jax.jit`` reached polychain).
    """
    stack = getattr(_tracing, 'devices', None)
    if not stack:
        raise ValueError('jax backend: received an abstract (traced) JAX array outside a '
                         'compilation of polychain\'s; compile polychain code with '
                         'polychain.jit or StandardUpdater(compile=True), not jax.jit')
    return stack[-1]


def compile_for(function: Callable[..., Any], device: Device,
                donate_argnums: tuple[int, ...]) -> Callable[..., Any]:
    """``jax.jit(function)`` placed on ``device``, whose traced arrays report ``device``."""

    def traced_on_device(*args: Any) -> Any:
        stack = _tracing.__dict__.setdefault('devices', [])
        stack.append(device)
        try:
            with jax.default_device(device.native):
                return function(*args)
        finally:
            stack.pop()

    return jax.jit(traced_on_device, donate_argnums=donate_argnums)
