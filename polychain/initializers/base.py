"""The initializer protocol: the base class the initializers subclass."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.backend.registry import get_device_from_array


class Initializer:
    """Fills an array in place: ``initializer(array)``.

    Polychain's initializers compute on the host (NumPy's global random state,
    or ``rng``) in :meth:`fill`; :meth:`__call__` fills a host array directly
    and copies the values into an array of a device whose arrays are mutable.
    Subclasses written for Chainer override ``__call__`` instead.

    Args:
        dtype: The dtype the initializer produces; ``None`` follows the target.
    """

    def __init__(self, dtype: Any = None) -> None:
        self.dtype = None if dtype is None else numpy.dtype(dtype)

    def __call__(self, array: Any) -> None:
        if self.dtype is not None and numpy.dtype(array.dtype) != self.dtype:
            raise ValueError(f'{type(self).__name__}: the array has dtype {array.dtype}, '
                             f'the initializer was made for {self.dtype}')
        if isinstance(array, numpy.ndarray):
            self.fill(array)
            return
        host = numpy.empty(array.shape, dtype=numpy.dtype(array.dtype))
        self.fill(host)
        array[...] = get_device_from_array(array).send(host)

    def fill(self, array: numpy.ndarray) -> None:
        """Writes the initial values into the host array ``array``."""
        raise NotImplementedError(f'{type(self).__name__} must implement fill(array) or '
                                  f'__call__(array)')

