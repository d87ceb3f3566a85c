"""The backend boundary: backends, devices, and finding the device of an array.

Also Chainer's ``chainer.backend``: its device classes (``CpuDevice``,
``GpuDevice``, ...) and functions (``using_device``, ``copyto``, ...).
``get_device_from_array`` here is Chainer's, falling back to the ``@numpy``
device for values no backend owns; :func:`polychain.backend.registry.get_device_from_array`
raises :class:`TypeError` for them.
"""

from polychain.backend.backend import Backend, BackendUnavailable
from polychain.backend.chainer_functions import (
    copyto,
    from_chx,
    get_array_types,
    get_cpu_array_types,
    get_device_from_array,
    is_arrays_compatible,
    to_chx,
    using_device,
)
from polychain.backend.device import Device
from polychain.backend.device_classes import ChainerxDevice, CpuDevice, GpuDevice, Intel64Device
from polychain.backend.module import DeviceModule
from polychain.backend.random import HostGenerator, NumpyRandom
from polychain.backend.registry import (
    BackendInfo,
    backend_names,
    get_array_module,
    get_backend,
    get_device,
    get_namespace,
    list_backends,
    register_backend,
    to_host,
    unregister_backend,
)

__all__ = [
    'Backend', 'BackendInfo', 'BackendUnavailable', 'ChainerxDevice', 'CpuDevice', 'Device',
    'DeviceModule', 'GpuDevice', 'HostGenerator', 'Intel64Device', 'NumpyRandom',
    'backend_names', 'copyto', 'from_chx', 'get_array_module', 'get_array_types', 'get_backend',
    'get_cpu_array_types', 'get_device', 'get_device_from_array', 'get_namespace',
    'is_arrays_compatible', 'list_backends', 'register_backend', 'to_chx', 'to_host',
    'unregister_backend', 'using_device',
]
