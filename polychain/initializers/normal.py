"""Initializers drawing from normal distributions, scaled by the fans of the array."""

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


def chosen_fan(shape: tuple[int, ...], fan_option: str, where: str) -> int:
    """The fan ``fan_option`` names (``'fan_in'`` or ``'fan_out'``) of a weight of ``shape``."""
    fan_in, fan_out = fans(shape)
    if fan_option == 'fan_in':
        return fan_in
    if fan_option == 'fan_out':
        return fan_out
    raise ValueError(f"{where}: expected fan_option 'fan_in' or 'fan_out', received "
                     f'{fan_option!r}')


class Normal(Initializer):
    """Draws from N(0, ``scale``\\ :sup:`2`) with ``numpy.random``.

    Args:
        scale: Standard deviation.
        dtype: The dtype of the generated arrays.
    """

    def __init__(self, scale: float = 0.05, dtype: Any = None) -> None:
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array: numpy.ndarray) -> None:
        array[...] = numpy.random.normal(0.0, self.scale, array.shape)


class LeCunNormal(Initializer):
    """Draws from N(0, ``scale``\\ :sup:`2` / fan_in).

    Args:
        scale: Multiplier of the standard deviation.
        dtype: The dtype of the generated arrays.
    """

    def __init__(self, scale: float = 1.0, dtype: Any = None) -> None:
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array: numpy.ndarray) -> None:
        fan_in, _ = fans(array.shape)
        Normal(self.scale * numpy.sqrt(1.0 / fan_in))(array)


class GlorotNormal(Initializer):
    """Draws from N(0, ``scale``\\ :sup:`2` * 2 / (fan_in + fan_out)) (Xavier initialisation).

    Args:
        scale: Multiplier of the standard deviation.
        dtype: The dtype of the generated arrays.
    """

    def __init__(self, scale: float = 1.0, dtype: Any = None) -> None:
        super().__init__(dtype)
        self.scale = scale

    def __call__(self, array: numpy.ndarray) -> None:
        fan_in, fan_out = fans(array.shape)
        Normal(self.scale * numpy.sqrt(2.0 / (fan_in + fan_out)))(array)


class HeNormal(Initializer):
    """Draws from N(0, ``scale``\\ :sup:`2` * 2 / fan) (He et al.'s initialisation).

    Args:
        scale: Multiplier of the standard deviation.
        dtype: The dtype of the generated arrays.
        fan_option: ``'fan_in'`` or ``'fan_out'``: which fan scales the deviation.
    """

    def __init__(self, scale: float = 1.0, dtype: Any = None, fan_option: str = 'fan_in') -> None:
        super().__init__(dtype)
        self.scale = scale
        self.fan_option = fan_option

    def __call__(self, array: numpy.ndarray) -> None:
        fan = chosen_fan(array.shape, self.fan_option, 'HeNormal')
        Normal(self.scale * numpy.sqrt(2.0 / fan))(array)
