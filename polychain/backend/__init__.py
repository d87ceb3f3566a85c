"""The backend boundary: backends, devices, and finding the device of an array."""

from polychain.backend.backend import Backend, BackendUnavailable
from polychain.backend.device import Device
from polychain.backend.module import DeviceModule
from polychain.backend.random import HostGenerator, NumpyRandom
from polychain.backend.registry import (
    BackendInfo,
    backend_names,
    get_array_module,
    get_backend,
    get_device,
    get_device_from_array,
    get_namespace,
    list_backends,
    register_backend,
    to_host,
    unregister_backend,
)

__all__ = [
    'Backend', 'BackendInfo', 'BackendUnavailable', 'Device', 'DeviceModule', 'HostGenerator',
    'NumpyRandom',
    'backend_names', 'get_array_module', 'get_backend',
    'get_namespace', 'get_device', 'get_device_from_array',
    'list_backends', 'register_backend', 'to_host', 'unregister_backend',
]
