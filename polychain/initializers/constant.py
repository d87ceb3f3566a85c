"""Constant initializers."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.backend.registry import to_host
from polychain.initializers.base import Initializer


class Constant(Initializer):
    """Fills with ``fill_value`` (a scalar or an array broadcastable to the shape).

    Args:
        fill_value: The value; an array of any device is read back to the host.
        dtype: The dtype of the generated arrays.
    """

    def __init__(self, fill_value: Any, dtype: Any = None) -> None:
        super().__init__(dtype)
        self.fill_value = fill_value

    def fill(self, array: numpy.ndarray) -> None:
        value = self.fill_value
        if hasattr(value, 'shape') and not isinstance(value, numpy.ndarray):
            value = to_host(value)
        array[...] = numpy.asarray(value).astype(array.dtype, copy=False)


class Zero(Constant):
    """Fills with zeros."""

    def __init__(self, dtype: Any = None) -> None:
        super().__init__(0.0, dtype)


class One(Constant):
    """Fills with ones."""

    def __init__(self, dtype: Any = None) -> None:
        super().__init__(1.0, dtype)


class NaN(Constant):
    """Fills with NaN (marks parameters that were never initialised)."""

    def __init__(self, dtype: Any = None) -> None:
        super().__init__(numpy.nan, dtype)
