"""CuPy as a polychain backend, registered through the ``polychain.backends`` entry point.

The module imports without CuPy so that the registry can report why the
backend is unavailable; :class:`CupyBackend` raises
:class:`~polychain.backend.BackendUnavailable` with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

from polychain.backend import Backend, BackendUnavailable, Device, GpuDevice
from polychain_cupy import nccl as nccl_support
from polychain_cupy.kernels import KERNELS
from polychain_cupy.random import CupyGenerator

try:
    import cupy
except ImportError as error:
    cupy = None
    _IMPORT_FAILURE = f'cupy cannot be imported ({error}); install polychain[cupy]'
else:
    _IMPORT_FAILURE = ''

#: DLPack device types whose memory CuPy can import: CUDA, ROCm, CUDA managed.
_GPU_DLPACK_DEVICE_TYPES = (2, 10, 13)


class CupyBackend(Backend):
    """Arrays are ``cupy.ndarray`` on CUDA GPUs; devices are ``@cupy:0``, ``@cupy:1``, ...

    Raises:
        BackendUnavailable: CuPy is not installed or no CUDA device is usable.
    """

    name = 'cupy'
    xp = cupy
    scalar_types = ()
    kernels = KERNELS
    #: NCCL for ChainerMN's ``pure_nccl`` communicator (``module`` is ``None`` without it).
    nccl = nccl_support

    def __init__(self) -> None:
        if cupy is None:
            raise BackendUnavailable(_IMPORT_FAILURE)
        count = _usable_device_count()
        try:
            import array_api_compat.cupy
        except ImportError as error:
            raise BackendUnavailable(f'array_api_compat.cupy cannot be imported: {error}') \
                from None
        self.namespace = array_api_compat.cupy
        self.array_types = (cupy.ndarray,)
        self._devices = [GpuDevice(self, f'cupy:{i}', cupy.cuda.Device(i))
                         for i in range(count)]

    # -- devices ---------------------------------------------------------------
    def devices(self) -> Sequence[Device]:
        return list(self._devices)

    def get_device(self, parts: Sequence[str]) -> Device:
        if len(parts) == 1 and parts[0].isdigit() and int(parts[0]) < len(self._devices):
            return self._devices[int(parts[0])]
        received = ''.join(':' + part for part in parts)
        raise ValueError(f'cupy backend: expected "@cupy:N" with N from 0 to '
                         f'{len(self._devices) - 1}, received "@cupy{received}"')

    def device_of(self, array: Any) -> Device:
        return self._devices[array.device.id]

    def use_device(self, device: Device) -> None:
        """Makes ``device`` the current CUDA device (``cupy.cuda.Device(n).use()``)."""
        device.native.use()

    def create_context(self, device: Device) -> Any:
        """``with cupy.cuda.Device(n):``, which restores the previous current GPU after."""
        return device.native

    # -- transfer --------------------------------------------------------------
    def to_host(self, array: Any) -> numpy.ndarray:
        return cupy.asnumpy(array)

    def from_host(self, array: numpy.ndarray, device: Device) -> Any:
        with device.native:
            return cupy.asarray(array)

    def send(self, array: Any, device: Device) -> Any:
        if isinstance(array, cupy.ndarray):
            if array.device.id == device.native.id:
                return array
            with device.native:
                # ndarray.copy() copies onto the current device, across GPUs too
                return array.copy()
        if isinstance(array, (numpy.ndarray, numpy.generic)):
            return self.from_host(numpy.asarray(array), device)
        if _on_gpu(array):
            with device.native:
                # a copy, so that CuPy never writes into another library's memory
                return cupy.from_dlpack(array).copy()
        return super().send(array, device)

    # -- hooks -------------------------------------------------------------------
    def create_generator(self, device: Device, seed: int | None) -> CupyGenerator:
        return CupyGenerator(device, seed)

    def scatter_add(self, array: Any, indices: Any, values: Any) -> Any:
        with array.device:
            result = array.copy()
            cupy.add.at(result, indices, values)
        return result

    def index_update(self, array: Any, indices: Any, values: Any) -> Any:
        with array.device:
            result = array.copy()
            result[indices] = values
        return result

    def synchronize(self, arrays: Sequence[Any]) -> None:
        for device_id in {a.device.id for a in arrays if isinstance(a, cupy.ndarray)}:
            cupy.cuda.Device(device_id).synchronize()

    def describe(self) -> str:
        return f'cupy {cupy.__version__} (CUDA runtime {cupy.cuda.runtime.runtimeGetVersion()})'


def _usable_device_count() -> int:
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except (RuntimeError, OSError, ImportError) as error:
        raise BackendUnavailable(f'no usable CUDA device: {error}') from None
    if count == 0:
        raise BackendUnavailable('no usable CUDA device: the CUDA runtime reports 0 devices')
    return count


def _on_gpu(array: Any) -> bool:
    dlpack_device = getattr(array, '__dlpack_device__', None)
    return dlpack_device is not None and dlpack_device()[0] in _GPU_DLPACK_DEVICE_TYPES
