"""A batch of examples that remembers the arrays it was gathered from.

An iterator reading a :class:`~polychain.datasets.TupleDataset` of arrays (or
one array) gathers each column with one fancy index instead of reading the
examples one by one. The batch is still the list of examples a Chainer user
expects; :func:`~polychain.dataset.concat_examples` stacks it by copying the
gathered columns instead of stacking the examples one by one. Changing the
list (``batch[0] = ...``, ``append``, ``sort``...) makes it an ordinary list
again, stacked example by example.
"""

from __future__ import annotations

from typing import Any

import numpy

from polychain.datasets.tuple_dataset import TupleDataset


class ExampleBatch(list):
    """A list of examples, with the columns (arrays) they are rows of.

    ``columns`` is a tuple of arrays when the examples are tuples, or one
    array when each example is a row of one array; ``None`` once the list
    has been changed.
    """

    __slots__ = ('columns',)

    def __init__(self, examples: Any, columns: Any) -> None:
        super().__init__(examples)
        self.columns = columns


def _forgets_columns(name: str) -> Any:
    method = getattr(list, name)

    def changed(self: ExampleBatch, *args: Any, **kwargs: Any) -> Any:
        self.columns = None
        return method(self, *args, **kwargs)

    changed.__name__ = name
    changed.__doc__ = method.__doc__
    return changed


for _name in ('__setitem__', '__delitem__', '__iadd__', '__imul__', 'append', 'extend',
              'insert', 'pop', 'remove', 'clear', 'reverse', 'sort'):
    setattr(ExampleBatch, _name, _forgets_columns(_name))


def gather_examples(dataset: Any, indices: numpy.ndarray) -> list | None:
    """The examples of ``dataset`` at ``indices`` as an :class:`ExampleBatch`.

    Only for a NumPy array and a :class:`TupleDataset` (not a subclass) of
    NumPy arrays, whose examples this gives exactly as ``dataset[index]``
    does one by one; ``None`` for any other dataset.
    """
    if type(dataset) is numpy.ndarray:
        column = dataset[indices]
        return ExampleBatch(column, column)
    if type(dataset) is TupleDataset and all(
            type(column) is numpy.ndarray for column in dataset._datasets):
        columns = tuple(column[indices] for column in dataset._datasets)
        return ExampleBatch(zip(*columns), columns)
    return None


def stacked_columns(batch: Any) -> Any:
    """Copies of the columns of an unchanged :class:`ExampleBatch` (else ``None``)."""
    if type(batch) is not ExampleBatch or batch.columns is None or not batch:
        return None
    if isinstance(batch.columns, tuple):
        return tuple(column.copy() for column in batch.columns)
    return batch.columns.copy()
