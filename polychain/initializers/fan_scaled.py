"""Fans of a weight's shape, and the initializers whose spread they scale."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.initializers.base import Initializer


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """Fan-in and fan-out of a weight of ``shape`` (out, in, *kernel).

    Raises:
        ValueError: ``shape`` is not a tuple of at least 2 axes.
    """
    if not isinstance(shape, tuple) or len(shape) < 2:
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


class FanScaled(Initializer):
    """Fills with ``distribution(scale * sqrt(gain / fan(shape)))``.

    Subclasses give ``distribution`` (an initializer class taking the
    spread, such as ``Normal``), ``gain`` and :meth:`fan`.

    Args:
        scale: Multiplier of the spread.
        dtype: The dtype of the generated arrays.
        rng: A NumPy ``RandomState``/``Generator`` to draw from instead of
            ``numpy.random``.
    """

    distribution: type[Initializer]
    gain: float

    def __init__(self, scale: float = 1.0, dtype: Any = None, rng: Any = None) -> None:
        super().__init__(dtype)
        self.scale = scale
        self.rng = rng

    def fan(self, shape: tuple[int, ...]) -> int:
        """The fan of a weight of ``shape`` that the spread is divided by."""
        raise NotImplementedError(f'{type(self).__name__} must implement fan(shape)')

    def fill(self, array: numpy.ndarray) -> None:
        spread = self.scale * numpy.sqrt(self.gain / self.fan(array.shape))
        self.distribution(spread, rng=self.rng).fill(array)


class LeCunScaled(FanScaled):
    """Scaled by the fan-in (LeCun et al.'s initialisation)."""

    def fan(self, shape: tuple[int, ...]) -> int:
        return fans(shape)[0]


class GlorotScaled(FanScaled):
    """Scaled by the sum of the fan-in and the fan-out (Glorot and Bengio's initialisation)."""

    def fan(self, shape: tuple[int, ...]) -> int:
        fan_in, fan_out = fans(shape)
        return fan_in + fan_out


class HeScaled(FanScaled):
    """Scaled by the fan ``fan_option`` names (He et al.'s initialisation).

    Args:
        scale: Multiplier of the spread.
        dtype: The dtype of the generated arrays.
        fan_option: ``'fan_in'`` or ``'fan_out'``: which fan scales the spread.
        rng: A NumPy ``RandomState``/``Generator`` to draw from instead of
            ``numpy.random``.
    """

    def __init__(self, scale: float = 1.0, dtype: Any = None, fan_option: str = 'fan_in',
                 rng: Any = None) -> None:
        super().__init__(scale, dtype, rng)
        self.fan_option = fan_option

    def fan(self, shape: tuple[int, ...]) -> int:
        return chosen_fan(shape, self.fan_option, type(self).__name__)
