"""Chainer's device classes: ``CpuDevice``, ``GpuDevice``, ``Intel64Device``, ``ChainerxDevice``.

The NumPy backend's device is a :class:`CpuDevice` and the CuPy backend's
devices are :class:`GpuDevice`, so ``isinstance`` checks of Chainer code work.
Chainer code also constructs them directly (``CpuDevice()``,
``GpuDevice(cupy.cuda.Device(0))``): that gives the registry's cached device.
iDeep and ChainerX are not part of polychain: their classes exist for
``isinstance`` and ``from_array``, and constructing one raises
:class:`RuntimeError` saying so, as Chainer does on a machine without them.
"""

from __future__ import annotations

from typing import Any

import numpy

from polychain.backend import registry
from polychain.backend.backend import Backend, BackendUnavailable
from polychain.backend.device import Device


def _built_by_backend(args: tuple[Any, ...]) -> bool:
    """Whether a device class is called by a backend (``Cls(backend, spec, native)``)."""
    return bool(args) and isinstance(args[0], Backend)


def _device_if_supported(spec: str, array: Any) -> Device | None:
    """The device ``spec`` if ``array`` is one of its arrays, else ``None`` (never raises)."""
    try:
        device = registry.get_device(spec)
    except (ValueError, BackendUnavailable):
        return None
    return device if device.is_array_supported(array) else None


class CpuDevice(Device):
    """The host device of NumPy arrays, ``@numpy``.

    ``CpuDevice()`` returns the ``@numpy`` device itself.
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if _built_by_backend(args):
            return super().__new__(cls)
        if args or kwargs:
            raise TypeError(f'CpuDevice() takes no arguments, received {args or kwargs}')
        return registry.get_device('@numpy')

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if _built_by_backend(args):
            super().__init__(*args, **kwargs)

    def __repr__(self) -> str:
        return f'<CpuDevice ({self.backend.name})>'

    @staticmethod
    def from_array(array: Any) -> CpuDevice | None:
        """The ``@numpy`` device for a ``numpy.ndarray``, ``None`` for anything else."""
        return _device_if_supported('@numpy', array)


class GpuDevice(Device):
    """A CUDA GPU of the CuPy backend, ``@cupy:N``.

    ``GpuDevice(cupy.cuda.Device(n))`` returns the ``@cupy:n`` device;
    without a usable CuPy it raises :class:`RuntimeError` saying why.
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if _built_by_backend(args):
            return super().__new__(cls)
        device = args[0] if args else kwargs.get('device')
        device_id = getattr(device, 'id', None)
        if not isinstance(device_id, int):
            raise TypeError(f'GpuDevice: expected a cupy.cuda.Device, received '
                            f'{type(device).__name__}: {device!r}')
        return GpuDevice.from_device_id(device_id)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if _built_by_backend(args):
            super().__init__(*args, **kwargs)

    def __repr__(self) -> str:
        return f'<GpuDevice ({self.backend.name}):{self.device.id}>'

    @property
    def device(self) -> Any:
        """The ``cupy.cuda.Device``."""
        return self.native

    @staticmethod
    def from_device_id(device_id: int) -> GpuDevice:
        """The ``@cupy:N`` device of GPU ``device_id``.

        Raises:
            TypeError: ``device_id`` is not an integer.
            ValueError: There is no GPU of that id.
            RuntimeError: CuPy is not usable here.
        """
        if isinstance(device_id, bool) or not isinstance(device_id, (int, numpy.integer)):
            raise TypeError(f'GpuDevice.from_device_id: expected an int device id, received '
                            f'{type(device_id).__name__}: {device_id!r}')
        if device_id < 0:
            raise ValueError(f'GpuDevice.from_device_id: expected a device id >= 0, received '
                             f'{device_id}')
        return registry.get_device(f'@cupy:{int(device_id)}')

    @staticmethod
    def from_array(array: Any) -> GpuDevice | None:
        """The device of a ``cupy.ndarray``, ``None`` for anything else."""
        try:
            device = registry.get_device_from_array(array)
        except TypeError:
            return None
        return device if isinstance(device, GpuDevice) and device.is_array_supported(array) \
            else None


class Intel64Device(Device):
    """Chainer's iDeep device, ``@intel64``: iDeep is not part of polychain.

    Raises:
        RuntimeError: Always, when constructed.
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError('Intel64Device: iDeep is not available; polychain computes on the '
                           'host with the NumPy backend, "@numpy"')

    @staticmethod
    def from_array(array: Any) -> None:
        """``None``: no array is an iDeep array."""
        return None


class ChainerxDevice(Device):
    """Chainer's ChainerX device: ChainerX is not part of polychain.

    Raises:
        RuntimeError: Always, when constructed.
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(chainerx_unavailable_message('ChainerxDevice'))

    @staticmethod
    def from_array(array: Any) -> None:
        """``None``: no array is a ChainerX array."""
        return None

    @staticmethod
    def from_fallback_device(device: Any) -> None:
        """Raises :class:`RuntimeError`: there is no ChainerX device to fall back from."""
        raise RuntimeError(chainerx_unavailable_message('ChainerxDevice.from_fallback_device'))


def chainerx_unavailable_message(where: str) -> str:
    """The message of errors about ChainerX, which polychain does not have."""
    return (f'{where}: ChainerX is not available in polychain; name a device of a backend '
            f'instead, such as "@numpy", "@cupy:0" or "@jax:gpu:0"')
