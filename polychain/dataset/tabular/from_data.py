"""from_data: a TabularDataset of lists, arrays and functions of the row number."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from polychain.backend import registry
from polychain.dataset.tabular import _selection
from polychain.dataset.tabular.tabular_dataset import TabularDataset

_unnamed = itertools.count()


def from_data(data: Any, *, size: int | None = None) -> TabularDataset:
    """A :class:`~polychain.dataset.TabularDataset` of lists, arrays and callables.

    ``data`` is one column, a tuple of columns (a dataset in tuple mode) or a
    dict of columns (dict mode). A column is a list or an array (its key is
    made up), ``(key, list/array/callable)``, or ``((key, ...), callable)``;
    a callable receives the row number and returns the value, or a tuple or
    dict of values for several keys. In a dict, the keys are the column
    keys: ``{'a': [...], ('b', 'c'): f}``.

    Args:
        data: The columns, as above.
        size (int): The number of rows; needed when no column is a list or array.

    Raises:
        ValueError: A callable column has no key, or the size is unknown.
    """
    if isinstance(data, dict):
        columns = list(data.items())
    elif isinstance(data, tuple) and not _is_keyed(data):
        columns = [item if _is_keyed(item) else (None, item) for item in data]
    else:
        key, value = data if _is_keyed(data) else (None, data)
        return _column(key, value, size)
    if size is None:
        size = next((_selection.column_length(value) for _, value in columns
                     if not callable(value)), None)
    datasets = [_column(key, value, size) for key, value in columns]
    joined = datasets[0].join(*datasets[1:])
    return joined.asdict() if isinstance(data, dict) else joined.astuple()


def _is_keyed(item: Any) -> bool:
    """Whether ``item`` is ``(key, column)`` or ``((key, ...), callable)``."""
    if not isinstance(item, tuple) or len(item) != 2:
        return False
    key, value = item
    return isinstance(key, str) or (
        isinstance(key, tuple) and callable(value) and all(isinstance(k, str) for k in key))


def _column(key: Any, value: Any, size: int | None) -> TabularDataset:
    if callable(value):
        if key is None:
            raise ValueError('from_data: a callable column needs its key(s), as '
                             '(key, callable) or ((key, ...), callable)')
        if size is None:
            raise ValueError('from_data: pass size= when no column is a list or an array; '
                             'it is the number of rows the callables are called for')
        return _RowNumbers(size).transform(key, value)
    if key is None:
        key = f'_{next(_unnamed)}'
    return _Column(key, value)


class _Column(TabularDataset):
    """One column held in a list (read with Python indexing) or an array."""

    def __init__(self, key: str, data: Any) -> None:
        self._keys = (key,)
        self._data = data
        self._take: Callable[[list], Any] = self._take_listed
        if not isinstance(data, list):
            try:
                namespace = registry.get_device_from_array(data).namespace
            except TypeError:
                pass  # not an array of a backend: index it with a list
            else:
                def take(rows: list) -> Any:
                    return namespace.take(data, namespace.asarray(rows), axis=0)
                self._take = take

    def __len__(self) -> int:
        return _selection.column_length(self._data)

    @property
    def keys(self) -> tuple[str, ...]:
        return self._keys

    @property
    def mode(self) -> None:
        return None

    def get_examples(self, indices: Any, key_indices: tuple[int, ...] | None) -> tuple:
        if indices is None:
            values = self._data
        elif isinstance(indices, slice):
            values = self._data[indices]
        elif len(indices) == 0:
            values = self._data[:0]
        else:
            values = self._take([_selection.check_row(_selection.as_int(i), len(self))
                                 for i in indices])
        return _pick((values,), key_indices)

    def _take_listed(self, rows: list) -> Any:
        if isinstance(self._data, list):
            return [self._data[row] for row in rows]
        return self._data[rows]


class _RowNumbers(TabularDataset):
    """The row numbers ``0 .. size - 1``: the input of the callables of :func:`from_data`."""

    def __init__(self, size: int) -> None:
        self._size = size

    def __len__(self) -> int:
        return self._size

    @property
    def keys(self) -> tuple[str, ...]:
        return ('index',)

    @property
    def mode(self) -> None:
        return None

    def get_examples(self, indices: Any, key_indices: tuple[int, ...] | None) -> tuple:
        if indices is None:
            rows = list(range(self._size))
        elif isinstance(indices, slice):
            rows = list(range(*indices.indices(self._size)))
        else:
            rows = [_selection.check_row(_selection.as_int(i), self._size) for i in indices]
        return _pick((rows,), key_indices)


def _pick(columns: tuple, key_indices: tuple[int, ...] | None) -> tuple:
    return columns if key_indices is None else tuple(columns[i] for i in key_indices)
