"""A small TabularDataset over a NumPy table that records what it was asked for."""

import numpy
import pytest

from polychain.dataset import TabularDataset


class Table(TabularDataset):
    """Column ``k`` of row ``i`` is ``100 * (first_column + k) + start + i``.

    ``calls`` lists the arguments of each ``get_examples``.
    """

    def __init__(self, keys=('a', 'b', 'c'), mode=tuple, size=10, as_arrays=False, start=0,
                 first_column=0):
        self._keys, self._mode = tuple(keys), mode
        self.data = numpy.array([[100 * (first_column + k) + i for i in range(start, start + size)]
                                 for k in range(len(keys))])
        self.as_arrays = as_arrays
        self.calls = []

    def __len__(self):
        return self.data.shape[1]

    @property
    def keys(self):
        return self._keys

    @property
    def mode(self):
        return self._mode

    def get_examples(self, indices, key_indices):
        self.calls.append((indices, key_indices))
        data = self.data if indices is None else self.data[:, indices]
        if key_indices is not None:
            data = data[list(key_indices)]
        return tuple(data) if self.as_arrays else tuple(list(row) for row in data)


@pytest.fixture
def table():
    """``table(**kwargs)`` builds a :class:`Table`."""
    return Table
