"""Random generators of devices; the generic one draws on the host."""

from __future__ import annotations

from typing import Any

import numpy


class HostGenerator:
    """Draws with a seeded ``numpy.random.Generator`` on the host and sends the result.

    This is the fallback every backend gets; backends with their own random
    numbers (JAX keys, CuPy generators) override
    :meth:`~polychain.backend.Backend.create_generator` and return an object
    with the same methods.

    Args:
        device: Where the drawn arrays are sent.
        seed: Seed of the stream; ``None`` takes fresh entropy.
    """

    def __init__(self, device: Any, seed: int | None) -> None:
        self.device = device
        self._rng = numpy.random.default_rng(seed)

    def uniform(self, shape: tuple[int, ...], dtype: Any, low: float = 0.0,
                high: float = 1.0) -> Any:
        """Uniform samples in ``[low, high)``."""
        values = self._rng.uniform(low, high, size=shape)
        return self._send(values, dtype)

    def normal(self, shape: tuple[int, ...], dtype: Any, loc: float = 0.0,
               scale: float = 1.0) -> Any:
        """Normal samples with mean ``loc`` and standard deviation ``scale``."""
        values = self._rng.normal(loc, scale, size=shape)
        return self._send(values, dtype)

    def integers(self, low: int, high: int, shape: tuple[int, ...], dtype: Any = None) -> Any:
        """Integers drawn uniformly from ``[low, high)``."""
        values = self._rng.integers(low, high, size=shape)
        return self._send(values, dtype or numpy.int64)

    def _send(self, values: numpy.ndarray, dtype: Any) -> Any:
        """Sends host values in ``dtype`` (a NumPy dtype or the backend's own)."""
        device = self.device
        try:
            host_dtype = numpy.dtype(dtype)
        except TypeError:
            return device.xp.astype(device.backend.from_host(numpy.asarray(values), device),
                                    dtype)
        return device.backend.from_host(numpy.asarray(values, dtype=host_dtype), device)
