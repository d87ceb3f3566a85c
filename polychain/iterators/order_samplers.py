"""Order samplers: the order in which an iterator visits the examples of each epoch."""

from __future__ import annotations

from typing import Any

import numpy


class OrderSampler:
    """Base class of order samplers.

    An iterator calls ``sampler(current_order, current_position)`` before
    each epoch; the result is the order of indexes for that epoch and must
    have the same length as ``current_order``.
    """

    def __call__(self, current_order: numpy.ndarray, current_position: int) -> numpy.ndarray:
        """The order of the next epoch.

        Args:
            current_order (numpy.ndarray): The 1-d array of indexes used so far.
            current_position (int): Where the iterator stands in the epoch.
        """
        raise NotImplementedError(
            f'{type(self).__name__}.__call__: an OrderSampler subclass must implement __call__')


class ShuffleOrderSampler(OrderSampler):
    """Draws a new random permutation for each epoch.

    Args:
        random_state (numpy.random.RandomState): The generator to draw from;
            by default a generator of its own seeded from NumPy's global one,
            so ``numpy.random.seed`` makes the orders repeatable, and its state
            is saved with the iterator so that a resumed run draws the same
            orders as an uninterrupted one.
    """

    def __init__(self, random_state: Any = None) -> None:
        if random_state is None:
            random_state = numpy.random.RandomState(numpy.random.randint(2 ** 31))
        self._random = random_state

    def __call__(self, current_order: numpy.ndarray, current_position: int) -> numpy.ndarray:
        return self._random.permutation(len(current_order))

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the generator's state."""
        name, keys, pos, has_gauss, cached = self._random.get_state()
        keys = serializer('keys', keys)
        pos = serializer('pos', pos)
        has_gauss = serializer('has_gauss', has_gauss)
        cached = serializer('cached_gaussian', cached)
        self._random.set_state((name, numpy.asarray(keys, dtype=numpy.uint32), int(pos),
                                int(has_gauss), float(cached)))
