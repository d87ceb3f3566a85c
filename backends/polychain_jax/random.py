"""Seeded random numbers on a JAX device, from a key that is split on every draw."""

from __future__ import annotations

from typing import Any

import jax
import numpy

from polychain.backend.random import check_generator_state


class JaxGenerator:
    """Draws with ``jax.random`` on one device; the key stays inside the generator.

    It has the methods of :class:`polychain.backend.HostGenerator`. Every draw
    splits the key it carries, so consecutive draws are independent and the
    same seed always gives the same stream. The key is kept as its raw
    ``uint32`` words: compiled code carries a plain array in and out.

    Args:
        device: The :class:`~polychain.backend.Device` the drawn arrays live on.
        seed: Seed of the stream; ``None`` takes fresh entropy from NumPy.
    """

    def __init__(self, device: Any, seed: int | None) -> None:
        self.device = device
        if seed is None:
            seed = int(numpy.random.default_rng().integers(2 ** 63))
        self._key_data = jax.device_put(jax.random.key_data(jax.random.key(seed)),
                                        device.native)

    def uniform(self, shape: tuple[int, ...], dtype: Any, low: float = 0.0,
                high: float = 1.0) -> jax.Array:
        """Uniform samples in ``[low, high)``."""
        return jax.random.uniform(self._next_key(), _shape(shape), numpy.dtype(dtype),
                                  minval=low, maxval=high)

    def normal(self, shape: tuple[int, ...], dtype: Any, loc: float = 0.0,
               scale: float = 1.0) -> jax.Array:
        """Normal samples with mean ``loc`` and standard deviation ``scale``."""
        dtype = numpy.dtype(dtype)
        values = jax.random.normal(self._next_key(), _shape(shape), dtype)
        return (values * scale + loc).astype(dtype)

    def integers(self, low: int, high: int, shape: tuple[int, ...],
                 dtype: Any = None) -> jax.Array:
        """Integers drawn uniformly from ``[low, high)``."""
        return jax.random.randint(self._next_key(), _shape(shape), low, high,
                                  numpy.dtype(dtype or numpy.int64))

    def get_state(self) -> numpy.ndarray:
        """The key the next draw splits, as its raw ``uint32`` words on the host."""
        return numpy.asarray(self._key_data)

    def set_state(self, state: numpy.ndarray) -> None:
        """Continues the stream from a state returned by :meth:`get_state`."""
        self.check_state(state)
        self._key_data = jax.device_put(numpy.asarray(state), self.device.native)

    def check_state(self, state: Any) -> None:
        """Raises ``ValueError`` unless ``state`` is one :meth:`get_state` can return."""
        current = self._key_data
        check_generator_state(state, numpy.dtype(current.dtype), tuple(current.shape),
                              type(self).__name__)

    @property
    def state_array(self) -> jax.Array:
        """The raw words of the key the next draw splits, as one ``uint32`` array.

        Compiled code (``polychain.jit``) passes it into the compiled program
        and stores the words the program returns, so that compiled and eager
        draws continue one stream.
        """
        return self._key_data

    @state_array.setter
    def state_array(self, key_data: jax.Array) -> None:
        self._key_data = key_data

    def _next_key(self) -> jax.Array:
        key, drawn = jax.random.split(jax.random.wrap_key_data(self._key_data))
        self._key_data = jax.random.key_data(key)
        return drawn


def _shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (int, numpy.integer)):
        return (int(shape),)
    return tuple(int(n) for n in shape)
