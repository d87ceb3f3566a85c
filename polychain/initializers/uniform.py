"""Initializers drawing from uniform distributions, scaled by the fans of the array."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.initializers.base import Initializer
from polychain.initializers.fan_scaled import GlorotScaled, HeScaled, LeCunScaled


class Uniform(Initializer):
    """Draws from U(-``scale``, ``scale``) with ``numpy.random``.

    Args:
        scale: Half the width of the interval.
        dtype: The dtype of the generated arrays.
        rng: A NumPy ``RandomState``/``Generator`` to draw from instead of
            ``numpy.random``.
    """

    def __init__(self, scale: float = 0.05, dtype: Any = None, rng: Any = None) -> None:
        super().__init__(dtype)
        self.scale = scale
        self.rng = rng

    def fill(self, array: numpy.ndarray) -> None:
        rng = numpy.random if self.rng is None else self.rng
        array[...] = rng.uniform(-self.scale, self.scale, array.shape)


class LeCunUniform(LeCunScaled):
    """Draws from U(-s, s) with s = ``scale`` * sqrt(3 / fan_in).

    Args:
        scale: Multiplier of the bound.
        dtype: The dtype of the generated arrays.
    """

    distribution = Uniform
    gain = 3.0


class GlorotUniform(GlorotScaled):
    """Draws from U(-s, s) with s = ``scale`` * sqrt(6 / (fan_in + fan_out)).

    Args:
        scale: Multiplier of the bound.
        dtype: The dtype of the generated arrays.
    """

    distribution = Uniform
    gain = 6.0


class HeUniform(HeScaled):
    """Draws from U(-s, s) with s = ``scale`` * sqrt(6 / fan).

    Args:
        scale: Multiplier of the bound.
        dtype: The dtype of the generated arrays.
        fan_option: ``'fan_in'`` or ``'fan_out'``: which fan scales the bound.
    """

    distribution = Uniform
    gain = 6.0
