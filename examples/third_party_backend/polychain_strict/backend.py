"""The ``strict`` backend, built on polychain's public backend API only.

``array_api_strict`` implements the Array API standard and nothing more, so a
function that runs here is written against the standard. The library
simulates several devices; arrays of two of them cannot be combined, which
makes it a cheap test of device handling too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import array_api_compat
import array_api_strict
import numpy

from polychain.backend import Backend, Device

#: The simulated devices exposed, by the index used in specifiers. The library's
#: other devices (``no_float64``, ``no_x64``) lack float64, which gradient checks need.
_NATIVE_DEVICE_NAMES = ('CPU_DEVICE', 'device1', 'device2')


class StrictBackend(Backend):
    """Arrays of ``array_api_strict``; devices ``@strict`` (alias ``@strict:0``), ``@strict:1``
    and ``@strict:2``.

    Host transfer goes through DLPack, because the library refuses
    ``numpy.asarray`` on arrays that are not on its CPU device.
    """

    name = 'strict'
    #: The library's own module (its Array API namespace, ``namespace``, is array-api-compat's).
    xp = array_api_strict
    scalar_types = ()

    def __init__(self) -> None:
        probe = array_api_strict.asarray(0.0)
        self.namespace = array_api_compat.array_namespace(probe)
        self.array_types = (type(probe),)
        self._devices = []
        self._by_native = {}
        for index, native_name in enumerate(_NATIVE_DEVICE_NAMES):
            native = array_api_strict.Device(native_name)
            device = Device(self, 'strict' if index == 0 else f'strict:{index}', native)
            self._devices.append(device)
            self._by_native[native] = device

    def devices(self) -> Sequence[Device]:
        return list(self._devices)

    def get_device(self, parts: Sequence[str]) -> Device:
        if not parts:
            return self._devices[0]
        if len(parts) == 1 and parts[0].isdigit() and int(parts[0]) < len(self._devices):
            return self._devices[int(parts[0])]
        raise ValueError(f'get_device: expected "@strict" or "@strict:N" with N in '
                         f'0..{len(self._devices) - 1}, received "@strict:{":".join(parts)}"')

    def device_of(self, array: Any) -> Device:
        device = self._by_native.get(array.device)
        if device is None:
            raise ValueError(f'device_of: the array lives on {array.device!r}, which the strict '
                             f'backend does not expose')
        return device

    def to_host(self, array: Any) -> numpy.ndarray:
        return numpy.array(numpy.from_dlpack(array), copy=True)

    def from_host(self, array: numpy.ndarray, device: Device) -> Any:
        return self.namespace.asarray(numpy.asarray(array), device=device.native, copy=True)

    def send(self, array: Any, device: Device) -> Any:
        if isinstance(array, self.array_types):
            return array if array.device == device.native else array.to_device(device.native)
        return super().send(array, device)

    def describe(self) -> str:
        flags = array_api_strict.get_array_api_strict_flags()
        return (f'array_api_strict {array_api_strict.__version__} '
                f'(Array API {flags["api_version"]})')
