"""Chainer's ``chainer.backend`` functions on the backend registry."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from polychain.backend import registry
from polychain.backend.backend import BackendUnavailable
from polychain.backend.device import Device
from polychain.backend.device_classes import chainerx_unavailable_message


def using_device(device_spec: Any) -> AbstractContextManager[Any]:
    """A context manager in which the device of ``device_spec`` is current.

    Args:
        device_spec: Anything :func:`~polychain.get_device` accepts.

    Raises:
        ValueError, TypeError, BackendUnavailable: As :func:`get_device`, when
            called (before the ``with`` block).
    """
    return registry.get_device(device_spec).create_context()


def get_device_from_array(*arrays: Any) -> Device:
    """The device of the first of ``arrays`` that is not on the host; else ``@numpy``.

    As Chainer's ``chainer.backend.get_device_from_array``, values that are
    not arrays (``None``, Python scalars, tuples) count as host values.
    """
    host = registry.get_device('@numpy')
    for array in arrays:
        try:
            device = registry.get_device_from_array(array)
        except TypeError:
            continue
        if device is not host:
            return device
    return host


def get_array_types() -> tuple[type, ...]:
    """The array types of every backend usable here (each is loaded to find them)."""
    types: list[type] = []
    for name in registry.backend_names():
        try:
            backend = registry.get_backend(name)
        except BackendUnavailable:
            continue
        types += [t for t in backend.array_types
                  if t not in backend.scalar_types and t not in types]
    return tuple(types)


def get_cpu_array_types() -> tuple[type, ...]:
    """The array types of the host: those of the ``@numpy`` device."""
    return registry.get_device('@numpy').supported_array_types


def is_arrays_compatible(arrays: Any) -> bool:
    """True when the arrays (``None`` skipped) all belong to one backend.

    Raises:
        TypeError: An element is not an array of an installed backend.
    """
    backends = {registry.get_device_from_array(a).backend.name
                for a in arrays if a is not None}
    return len(backends) <= 1


def copyto(dst: Any, src: Any) -> None:
    """Copies the elements of ``src`` into the array ``dst``, in place.

    ``src`` may live on another device or backend; it is broadcast and cast
    to ``dst`` as NumPy's ``copyto`` does.

    Raises:
        TypeError: ``dst`` or ``src`` is not an array, or ``dst`` cannot be
            written in place (JAX arrays are immutable).
    """
    device = _array_device('dst', dst)
    _array_device('src', src)
    try:
        dst[...] = device.send(src)
    except TypeError as error:
        raise TypeError(f'copyto: cannot write into dst, an array of {device} ({error}); '
                        f'the arrays of this backend cannot be changed in place') from None


def _array_device(name: str, array: Any) -> Device:
    try:
        return registry.get_device_from_array(array)
    except TypeError:
        raise TypeError(f'copyto: expected an array as {name}, received '
                        f'{type(array).__name__}') from None


def from_chx(array: Any) -> Any:
    """Returns ``array`` (or the arrays of a tuple, list or dict) as they are.

    ChainerX arrays do not exist in polychain, so there is nothing to convert.
    """
    return array


def to_chx(array: Any) -> Any:
    """Raises :class:`RuntimeError`: ChainerX is not available in polychain."""
    raise RuntimeError(chainerx_unavailable_message('to_chx'))
