"""Constant initializers."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.initializers.base import Initializer


class Constant(Initializer):
    """Fills with ``fill_value`` (a scalar or an array broadcastable to the shape)."""

    def __init__(self, fill_value: Any, dtype: Any = None) -> None:
        super().__init__(dtype)
        self.fill_value = fill_value

    def __call__(self, array: numpy.ndarray) -> None:
        from polychain.backend.registry import to_host
        value = self.fill_value
        if hasattr(value, 'shape'):
            value = to_host(value)
        array[...] = numpy.asarray(value, dtype=array.dtype)


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
