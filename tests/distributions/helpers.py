"""Shared helpers of the distribution tests."""

from __future__ import annotations

from typing import Any

import numpy

from polychain import Variable
from polychain.backend import to_host


def param(device: Any, values: Any, dtype: str = 'float64') -> Variable:
    """A differentiable Variable of ``values`` on ``device``."""
    return Variable(device.send(numpy.asarray(values, dtype=dtype)))


def on(device: Any, values: Any, dtype: str = 'float64') -> Any:
    """An array of ``values`` on ``device``."""
    return device.send(numpy.asarray(values, dtype=dtype))


def host(value: Any) -> numpy.ndarray:
    """A Variable's or an array's values on the host."""
    return numpy.asarray(to_host(value.array if isinstance(value, Variable) else value))
