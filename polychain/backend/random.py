"""Random generators of devices; the generic one draws on the host."""

from __future__ import annotations

from typing import Any

import numpy

#: The devices whose generator exists, by specifier (see :func:`generator_devices`).
_DEVICES_WITH_GENERATORS: dict[str, Any] = {}


def host_seed() -> int:
    """A seed drawn from NumPy's global random state, so that ``numpy.random.seed`` fixes it."""
    return int(numpy.random.randint(2 ** 62, dtype=numpy.int64))


def register_generator(device: Any) -> None:
    """Records that ``device`` has a generator, whose state snapshots then save."""
    _DEVICES_WITH_GENERATORS[str(device)] = device


def generator_devices() -> list[Any]:
    """The devices whose generator exists, in the order they were created."""
    return list(_DEVICES_WITH_GENERATORS.values())


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

    def get_state(self) -> numpy.ndarray:
        """The stream's position: PCG64's state and increment, as six ``uint64`` words."""
        state = self._rng.bit_generator.state
        words = [state['state']['state'], state['state']['inc'],
                 state['has_uint32'], state['uinteger']]
        return numpy.array([w & _LOW_64 for w in words[:2]] + [w >> 64 for w in words[:2]]
                           + words[2:], dtype=numpy.uint64)

    def set_state(self, state: numpy.ndarray) -> None:
        """Moves the stream to a position returned by :meth:`get_state`."""
        self.check_state(state)
        low, high = [int(w) for w in state[:2]], [int(w) for w in state[2:4]]
        self._rng.bit_generator.state = {
            'bit_generator': 'PCG64',
            'state': {'state': low[0] | high[0] << 64, 'inc': low[1] | high[1] << 64},
            'has_uint32': int(state[4]), 'uinteger': int(state[5])}

    def check_state(self, state: Any) -> None:
        """Raises ``ValueError`` unless ``state`` is one :meth:`get_state` can return."""
        check_generator_state(state, numpy.dtype(numpy.uint64), (6,), type(self).__name__)

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
            array = device.backend.from_host(numpy.asarray(values), device)
            return device.namespace.astype(array, dtype)
        return device.backend.from_host(numpy.asarray(values, dtype=host_dtype), device)


_LOW_64 = (1 << 64) - 1


def check_generator_state(state: Any, dtype: numpy.dtype, shape: tuple[int, ...],
                          owner: str) -> None:
    """Raises ``ValueError`` unless ``state`` is a host array of ``dtype`` and ``shape``."""
    if not isinstance(state, numpy.ndarray) or state.dtype != dtype or state.shape != shape:
        described = (f'{state.dtype} array of shape {state.shape}'
                     if isinstance(state, numpy.ndarray) else type(state).__name__)
        raise ValueError(f'{owner}: expected a generator state of {shape} {dtype}, '
                         f'received {described}')


class NumpyRandom:
    """NumPy's ``numpy.random`` functions drawing from one device's generator.

    ``device.xp.random`` of backends whose library has no NumPy-style random
    module of its own (JAX): results are arrays of the device, floats in
    float64 and integers in int64 as NumPy gives them, and
    ``seed`` re-seeds the device's stream (:meth:`Device.seed`).

    Args:
        device: The :class:`~polychain.backend.Device` to draw on.
    """

    def __init__(self, device: Any) -> None:
        self.device = device

    def seed(self, seed: int | None = None) -> None:
        """Re-seeds the device's generator."""
        self.device.seed(seed)

    def random_sample(self, size: Any = None) -> Any:
        """Uniform floats in ``[0, 1)``."""
        return self.device.random.uniform(_shape(size), numpy.float64)

    random = ranf = sample = random_sample

    def rand(self, *shape: int) -> Any:
        """Uniform floats in ``[0, 1)`` of the shape given as arguments."""
        return self.random_sample(shape)

    def standard_normal(self, size: Any = None) -> Any:
        """Samples of the standard normal distribution."""
        return self.device.random.normal(_shape(size), numpy.float64)

    def randn(self, *shape: int) -> Any:
        """Standard normal samples of the shape given as arguments."""
        return self.standard_normal(shape)

    def uniform(self, low: Any = 0.0, high: Any = 1.0, size: Any = None) -> Any:
        """Uniform floats in ``[low, high)``; ``low`` and ``high`` may be arrays."""
        if _is_scalar(low) and _is_scalar(high):
            return self.device.random.uniform(_shape(size), numpy.float64, low, high)
        low, high = self._floats(low), self._floats(high)
        unit = self.random_sample(_shape(size, low, high))
        return low + (high - low) * unit

    def normal(self, loc: Any = 0.0, scale: Any = 1.0, size: Any = None) -> Any:
        """Normal samples of mean ``loc`` and standard deviation ``scale`` (scalars or arrays)."""
        if _is_scalar(loc) and _is_scalar(scale):
            return self.device.random.normal(_shape(size), numpy.float64, loc, scale)
        loc, scale = self._floats(loc), self._floats(scale)
        return loc + scale * self.standard_normal(_shape(size, loc, scale))

    def randint(self, low: int, high: int | None = None, size: Any = None,
                dtype: Any = int) -> Any:
        """Integers drawn uniformly from ``[low, high)`` (``[0, low)`` without ``high``).

        Raises:
            ValueError: The range is empty.
        """
        if high is None:
            low, high = 0, low
        if int(high) <= int(low):
            raise ValueError(f'randint: expected low < high, received low={low}, high={high}')
        return self.device.random.integers(int(low), int(high), _shape(size), dtype)

    def permutation(self, x: Any) -> Any:
        """A shuffled ``arange(x)`` for an int, else a copy of ``x`` shuffled along axis 0."""
        xp = self.device.namespace
        if _is_scalar(x):
            return self._order(int(x))
        x = self.device.send(x)
        return xp.take(x, self._order(x.shape[0]), axis=0)

    def choice(self, a: Any, size: Any = None, replace: bool = True, p: Any = None) -> Any:
        """Samples from ``arange(a)`` (an int) or from the 1-d array ``a``.

        Args:
            a: The population size, or a 1-d array of the population.
            size: Shape of the result; ``None`` draws one element (a 0-d array).
            replace: Whether an element can be drawn more than once.
            p: Probabilities of the elements (uniform when ``None``).

        Raises:
            ValueError: ``a`` is empty or not 1-d, ``p`` does not match it, or
                more elements than ``a`` has are drawn without replacement.
        """
        xp = self.device.namespace
        population = None if _is_scalar(a) else self.device.send(a)
        if population is not None and population.ndim != 1:
            raise ValueError(f'choice: expected an int or a 1-d array as a, received an array of '
                             f'shape {population.shape}')
        n = int(a) if population is None else population.shape[0]
        shape = _shape(size)
        count = int(numpy.prod(shape))
        if n <= 0:
            raise ValueError('choice: a must be a positive int or a non-empty array')
        if p is not None:
            p = self._floats(p)
            if p.shape != (n,):
                raise ValueError(f'choice: expected p of shape ({n},), received {p.shape}')
        if not replace and count > n:
            raise ValueError(f'choice: cannot draw {count} elements out of {n} without '
                             f'replacement')
        if replace:
            indices = self._with_replacement(n, count, p)
        else:
            indices = self._without_replacement(n, count, p)
        indices = xp.reshape(indices, shape)
        if population is None:
            return indices
        return xp.reshape(xp.take(population, xp.reshape(indices, (-1,)), axis=0), shape)

    def _with_replacement(self, n: int, count: int, p: Any) -> Any:
        if p is None:
            return self.device.random.integers(0, n, (count,), numpy.int64)
        xp = self.device.namespace
        cdf = xp.cumulative_sum(p)
        u = self.random_sample((count,)) * cdf[-1]
        indices = xp.searchsorted(cdf, u, side='right')
        return xp.astype(xp.clip(indices, 0, n - 1), xp.int64)

    def _without_replacement(self, n: int, count: int, p: Any) -> Any:
        if p is None:
            return self._order(n)[:count]
        # Gumbel top-k: the k largest of log(p) + Gumbel noise are a draw without replacement.
        xp = self.device.namespace
        gumbel = -xp.log(-xp.log(self.random_sample((n,))))
        return xp.astype(xp.argsort(-(xp.log(p) + gumbel))[:count], xp.int64)

    def _order(self, n: int) -> Any:
        """A random permutation of ``0 .. n-1``."""
        xp = self.device.namespace
        return xp.astype(xp.argsort(self.random_sample((n,))), xp.int64)

    def _floats(self, value: Any) -> Any:
        xp = self.device.namespace
        return xp.astype(self.device.send(numpy.asarray(value) if _is_scalar(value) else value),
                         xp.float64)


def _is_scalar(value: Any) -> bool:
    return not hasattr(value, 'shape') or value.shape == () and isinstance(value, numpy.generic)


def _shape(size: Any, *arrays: Any) -> tuple[int, ...]:
    """NumPy's ``size`` argument as a shape; ``None`` is the broadcast shape of ``arrays``."""
    if size is None:
        return numpy.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
    if isinstance(size, (int, numpy.integer)):
        return (int(size),)
    return tuple(int(n) for n in size)
