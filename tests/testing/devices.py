"""The devices the testing-helper tests run on, derived from the backends usable here."""

from __future__ import annotations

import pytest

import polychain
from polychain import testing
from polychain.backend import BackendUnavailable


def is_usable(spec: str) -> bool:
    """Whether the device ``spec`` can be used here."""
    try:
        polychain.get_device(spec)
    except (ValueError, BackendUnavailable):
        return False
    return True


def default_device_params() -> list:
    """pytest params: the default device of every registered backend.

    A backend that cannot be used here gives ``'@<name>'``, skipped with the reason.
    """
    params = []
    for info in polychain.list_backends():
        if info.available:
            params.append(pytest.param(info.devices[0], id=info.devices[0]))
        else:
            params.append(pytest.param(f'@{info.name}', id=f'@{info.name}', marks=pytest.mark.skip(
                reason=f'@{info.name} is not usable here: {info.reason}')))
    return params


def class_suffix(spec: str) -> str:
    """The device part of generated class names (``'@jax:cpu:0'``: ``'jax_cpu_0'``)."""
    return spec[1:].replace(':', '_')


def usable_device_without(dtype_name: str) -> str | None:
    """A usable device whose namespace lacks ``dtype_name``; None when every device has it."""
    for config in testing.available_backend_configs(all_devices=True):
        if not hasattr(polychain.get_device(config['device']).xp, dtype_name):
            return config['device']
    return None
