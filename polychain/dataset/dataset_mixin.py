"""DatasetMixin: indexing by ints, slices and lists on top of ``get_example``."""

from __future__ import annotations

from typing import Any

import numpy


class DatasetMixin:
    """Gives a dataset Python's indexing from one ``get_example(i)`` method.

    A subclass implements ``__len__`` and ``get_example``; ``dataset[i]`` then
    returns one example, and ``dataset[slice]``, ``dataset[list]`` or
    ``dataset[ndarray]`` return a list of examples.
    """

    def __getitem__(self, index: Any) -> Any:
        """An example, or a list of examples for a slice, list or 1-d integer array.

        Args:
            index (int, slice, list or numpy.ndarray): Which example(s) to get.
        """
        if isinstance(index, slice):
            return [self.get_example(i) for i in range(*index.indices(len(self)))]
        if isinstance(index, (list, numpy.ndarray)):
            return [self.get_example(i) for i in index]
        return self.get_example(index)

    def __len__(self) -> int:
        """The number of examples."""
        raise NotImplementedError(
            f'{type(self).__name__}.__len__: a DatasetMixin subclass must implement __len__')

    def get_example(self, i: int) -> Any:
        """The ``i``-th example.

        Args:
            i (int): The index of the example.
        """
        raise NotImplementedError(
            f'{type(self).__name__}.get_example: a DatasetMixin subclass must implement '
            f'get_example')
