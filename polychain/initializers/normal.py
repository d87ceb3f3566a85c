"""Normal-distribution initializers."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.initializers.base import Initializer


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """Fan-in and fan-out of a weight of ``shape`` (out, in, *kernel)."""
    if len(shape) < 2:
        raise ValueError(f'fans: expected a shape with at least 2 axes, received {shape}')
    receptive = 1
    for n in shape[2:]:
        receptive *= n
    return shape[1] * receptive, shape[0] * receptive


class Normal(Initializer):
    """Draws from N(0, ``scale``\\ :sup:`2`) with ``numpy.random``."""

    def __init__(self, scale: float = 0.05, dtype: Any = None) -> None:
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array: numpy.ndarray) -> None:
        array[...] = numpy.random.normal(0.0, self.scale, array.shape)


class LeCunNormal(Initializer):
    """Draws from N(0, ``scale``\\ :sup:`2` / fan_in)."""

    def __init__(self, scale: float = 1.0, dtype: Any = None) -> None:
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array: numpy.ndarray) -> None:
        fan_in, _ = fans(array.shape)
        Normal(self.scale * numpy.sqrt(1.0 / fan_in))(array)
