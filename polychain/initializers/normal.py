"""Initializers drawing from normal distributions, scaled by the fans of the array."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.initializers.base import Initializer
from polychain.initializers.fan_scaled import GlorotScaled, HeScaled, LeCunScaled


class Normal(Initializer):
    """Draws from N(0, ``scale``\\ :sup:`2`) with ``numpy.random``.

    Args:
        scale: Standard deviation.
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
        array[...] = rng.normal(0.0, self.scale, array.shape)


class LeCunNormal(LeCunScaled):
    """Draws from N(0, ``scale``\\ :sup:`2` / fan_in).

    Args:
        scale: Multiplier of the standard deviation.
        dtype: The dtype of the generated arrays.
    """

    distribution = Normal
    gain = 1.0


class GlorotNormal(GlorotScaled):
    """Draws from N(0, ``scale``\\ :sup:`2` * 2 / (fan_in + fan_out)) (Xavier initialisation).

    Args:
        scale: Multiplier of the standard deviation.
        dtype: The dtype of the generated arrays.
    """

    distribution = Normal
    gain = 2.0


class HeNormal(HeScaled):
    """Draws from N(0, ``scale``\\ :sup:`2` * 2 / fan) (He et al.'s initialisation).

    Args:
        scale: Multiplier of the standard deviation.
        dtype: The dtype of the generated arrays.
        fan_option: ``'fan_in'`` or ``'fan_out'``: which fan scales the deviation.
    """

    distribution = Normal
    gain = 2.0
