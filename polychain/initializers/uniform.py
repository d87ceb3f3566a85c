"""Initializers drawing from uniform distributions, scaled by the fans of the array."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.initializers.base import Initializer
from polychain.initializers.normal import chosen_fan, fans


class Uniform(Initializer):
    """Draws from U(-``scale``, ``scale``) with ``numpy.random``.

    Args:
        scale: Half the width of the interval.
        dtype: The dtype of the generated arrays.
    """

    def __init__(self, scale: float = 0.05, dtype: Any = None) -> None:
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array: numpy.ndarray) -> None:
        array[...] = numpy.random.uniform(-self.scale, self.scale, array.shape)


class LeCunUniform(Initializer):
    """Draws from U(-s, s) with s = ``scale`` * sqrt(3 / fan_in).

    Args:
        scale: Multiplier of the bound.
        dtype: The dtype of the generated arrays.
    """

    def __init__(self, scale: float = 1.0, dtype: Any = None) -> None:
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array: numpy.ndarray) -> None:
        fan_in, _ = fans(array.shape)
        Uniform(self.scale * numpy.sqrt(3.0 / fan_in))(array)


class GlorotUniform(Initializer):
    """Draws from U(-s, s) with s = ``scale`` * sqrt(6 / (fan_in + fan_out)).

    Args:
        scale: Multiplier of the bound.
        dtype: The dtype of the generated arrays.
    """

    def __init__(self, scale: float = 1.0, dtype: Any = None) -> None:
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array: numpy.ndarray) -> None:
        fan_in, fan_out = fans(array.shape)
        Uniform(self.scale * numpy.sqrt(6.0 / (fan_in + fan_out)))(array)


class HeUniform(Initializer):
    """Draws from U(-s, s) with s = ``scale`` * sqrt(6 / fan).

    Args:
        scale: Multiplier of the bound.
        dtype: The dtype of the generated arrays.
        fan_option: ``'fan_in'`` or ``'fan_out'``: which fan scales the bound.
    """

    def __init__(self, scale: float = 1.0, dtype: Any = None, fan_option: str = 'fan_in') -> None:
        super().__init__(dtype)
        self.scale = scale
        self.fan_option = fan_option

    def __call__(self, array: numpy.ndarray) -> None:
        fan = chosen_fan(array.shape, self.fan_option, 'HeUniform')
        Uniform(self.scale * numpy.sqrt(6.0 / fan))(array)
