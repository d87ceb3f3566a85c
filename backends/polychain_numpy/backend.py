"""NumPy as a polychain backend, registered through the ``polychain.backends`` entry point."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

from polychain.backend import Backend, CpuDevice, Device
from polychain_numpy import namespace
from polychain_numpy.kernels import KERNELS


class NumpyBackend(Backend):
    """Arrays are ``numpy.ndarray`` on the host; the only device is ``@numpy``."""

    name = 'numpy'
    namespace = namespace
    xp = numpy
    array_types = (numpy.ndarray, numpy.generic)
    scalar_types = (numpy.generic,)
    kernels = KERNELS

    def __init__(self) -> None:
        self._device = CpuDevice(self, 'numpy')

    def devices(self) -> Sequence[Device]:
        return [self._device]

    def get_device(self, parts: Sequence[str]) -> Device:
        if parts:
            raise ValueError(f'the numpy backend has one device, "@numpy"; received '
                             f'"@numpy:{":".join(parts)}"')
        return self._device

    def device_of(self, array: Any) -> Device:
        return self._device

    def to_host(self, array: Any) -> numpy.ndarray:
        return numpy.asarray(array)

    def from_host(self, array: numpy.ndarray, device: Device) -> numpy.ndarray:
        return numpy.asarray(array)

    def send(self, array: Any, device: Device) -> numpy.ndarray:
        if isinstance(array, numpy.ndarray):
            return array
        if isinstance(array, numpy.generic):
            return numpy.asarray(array)
        try:
            result = numpy.from_dlpack(array)
        except (TypeError, AttributeError, RuntimeError, BufferError, ValueError):
            return super().send(array, device)
        # A view of another library's buffer may be read-only; NumPy users write into arrays.
        return result if result.flags.writeable else result.copy()

    def scatter_add(self, array: Any, indices: Any, values: Any) -> numpy.ndarray:
        result = array.copy()
        numpy.add.at(result, indices, values)
        return result

    def index_update(self, array: Any, indices: Any, values: Any) -> numpy.ndarray:
        result = array.copy()
        result[indices] = values
        return result

    def describe(self) -> str:
        return f'numpy {numpy.__version__}'
