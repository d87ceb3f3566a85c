"""Row and column selections of tabular datasets: checking them and composing them.

A row selection is ``None`` (every row), a ``range`` (what a slice selects) or a
list of ints; a column selection is ``None`` (every column) or a tuple of ints.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Sequence
from typing import Any

import numpy

Rows = range | list | None


def select_rows(indices: Any, length: int) -> range | list[int]:
    """The rows ``indices`` picks from ``length`` rows: a slice, ints or a boolean mask.

    Raises:
        IndexError: An int is out of range.
        ValueError: A boolean mask does not have one flag per row.
    """
    if isinstance(indices, slice):
        return range(*indices.indices(length))
    items = list(indices)
    if items and all(isinstance(item, (bool, numpy.bool_)) for item in items):
        if len(items) != length:
            raise ValueError(f'slice: a boolean mask needs one flag per row, {length}, '
                             f'received {len(items)}')
        return [i for i, flag in enumerate(items) if flag]
    return [check_row(as_int(item), length) for item in items]


def check_row(index: int, length: int) -> int:
    """``index`` as a non-negative row number (negative ones count from the end)."""
    if not -length <= index < length:
        raise IndexError(f'row index {index} is out of range for {length} rows')
    return index % length if index < 0 else index


def select_keys(keys: Any, names: Sequence[str]) -> tuple[int, ...]:
    """The column numbers of ``keys`` (ints or names) among the columns ``names``."""
    if isinstance(keys, (str, numbers.Integral)):
        keys = (keys,)
    columns = []
    for key in keys:
        if isinstance(key, str):
            if key not in names:
                raise KeyError(f'slice: no column named {key!r}; the keys are {tuple(names)}')
            columns.append(list(names).index(key))
        else:
            index = as_int(key)
            if not -len(names) <= index < len(names):
                raise IndexError(f'slice: column index {index} is out of range for '
                                 f'{len(names)} columns')
            columns.append(index % len(names))
    return tuple(columns)


def compose_rows(outer: Rows, inner: Any, length: int) -> Rows:
    """The rows of a base dataset that rows ``inner`` of the selection ``outer`` are.

    Args:
        outer: The selection a view made of the base (``None``, range or list).
        inner: What was asked of the view (``None``, a slice or a list of ints).
        length: The number of rows of the base.
    """
    if inner is None:
        return outer
    if outer is None:
        return range(*inner.indices(length)) if isinstance(inner, slice) else list(inner)
    if isinstance(inner, slice):
        return outer[inner]
    return [outer[as_int(i)] for i in inner]


def compose_keys(outer: tuple[int, ...] | None, inner: Any) -> tuple[int, ...] | None:
    """The columns of a base dataset that columns ``inner`` of the selection ``outer`` are."""
    if inner is None:
        return outer
    if outer is None:
        return tuple(inner)
    return tuple(outer[i] for i in inner)


def as_argument(rows: Rows) -> slice | list | None:
    """A selection in the form ``get_examples`` receives: a range becomes a slice."""
    if not isinstance(rows, range):
        return rows
    if len(rows) == 0:
        return slice(0, 0, 1)
    # The range holds valid rows only, so a negative stop means "down to row 0".
    return slice(rows.start, rows.stop if rows.stop >= 0 else None, rows.step)


def count_rows(indices: Any, length: int) -> int:
    """How many rows ``get_examples(indices, ...)`` asks for."""
    if indices is None:
        return length
    if isinstance(indices, slice):
        return len(range(*indices.indices(length)))
    return len(indices)


def column_length(column: Any) -> int:
    """The number of values of a list or array (Array API arrays need not have ``len``)."""
    return len(column) if hasattr(column, '__len__') else column.shape[0]


def as_int(value: Any) -> int:
    """``value`` (an integer or a NumPy bool) as a Python int."""
    return int(value) if isinstance(value, numpy.bool_) else operator.index(value)
