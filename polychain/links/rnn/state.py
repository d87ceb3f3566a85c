"""Helpers of the stateful recurrent links: zero states and state variables on a device."""

from __future__ import annotations

from typing import Any

from polychain.backend.device import Device
from polychain.variable import Variable


def zero_state(device: Device, shape: tuple[int, ...], dtype: Any) -> Variable:
    """A Variable of zeros on ``device`` that needs no gradient."""
    data = device.namespace.zeros(shape, dtype=dtype, device=device.native)
    return Variable(data, requires_grad=False)


def state_variable(link: str, name: str, value: Any, device: Device) -> Variable:
    """``value`` as a Variable on ``device``, for ``set_state``."""
    if not isinstance(value, Variable):
        raise TypeError(f'{link}.set_state: expected a Variable as {name}, received '
                        f'{type(value).__name__}')
    return value.to_device(device)
