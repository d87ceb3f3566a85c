"""Seeded random numbers drawn on a CUDA device with ``cupy.random.Generator``."""

from __future__ import annotations

from typing import Any

import numpy


class CupyGenerator:
    """Draws with a seeded ``cupy.random.Generator`` whose state lives on one GPU.

    It has the methods of :class:`polychain.backend.HostGenerator`.
    ``cupy.random.Generator`` draws float32 or float64; other floating dtypes
    are drawn in float32 and cast.

    Args:
        device: The :class:`~polychain.backend.Device` (``@cupy:N``) to draw on.
        seed: Seed of the stream; ``None`` takes fresh entropy.
    """

    def __init__(self, device: Any, seed: int | None) -> None:
        import cupy
        self.device = device
        with device.native:
            self._rng = cupy.random.default_rng(seed)

    def uniform(self, shape: tuple[int, ...], dtype: Any, low: float = 0.0,
                high: float = 1.0) -> Any:
        """Uniform samples in ``[low, high)``."""
        dtype = numpy.dtype(dtype)
        with self.device.native:
            values = self._rng.random(shape, dtype=_draw_dtype(dtype))
            return (values * (high - low) + low).astype(dtype, copy=False)

    def normal(self, shape: tuple[int, ...], dtype: Any, loc: float = 0.0,
               scale: float = 1.0) -> Any:
        """Normal samples with mean ``loc`` and standard deviation ``scale``."""
        dtype = numpy.dtype(dtype)
        with self.device.native:
            values = self._rng.standard_normal(shape, dtype=_draw_dtype(dtype))
            return (values * scale + loc).astype(dtype, copy=False)

    def integers(self, low: int, high: int, shape: tuple[int, ...], dtype: Any = None) -> Any:
        """Integers drawn uniformly from ``[low, high)``."""
        with self.device.native:
            return self._rng.integers(low, high, shape, dtype=numpy.dtype(dtype or numpy.int64))


def _draw_dtype(dtype: numpy.dtype) -> numpy.dtype:
    return dtype if dtype == numpy.float64 else numpy.dtype(numpy.float32)
