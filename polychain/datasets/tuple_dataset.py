"""TupleDataset: several equally long datasets zipped into tuples."""

from __future__ import annotations

from typing import Any

from polychain.datasets.column_access import check_equal_lengths, is_batch_index, take


class TupleDataset:
    """Dataset of tuples: the ``i``-th example is ``(datasets[0][i], datasets[1][i], ...)``.

    Indexing with a slice, list or integer array gives a list of tuples.

    Args:
        datasets: Datasets (arrays, lists or dataset objects) of equal length.
    """

    def __init__(self, *datasets: Any) -> None:
        self._length = check_equal_lengths('TupleDataset', dict(enumerate(datasets)))
        self._datasets = datasets

    def __getitem__(self, index: Any) -> Any:
        columns = [take(dataset, index) for dataset in self._datasets]
        if is_batch_index(index):
            return [tuple(column[i] for column in columns) for i in range(len(columns[0]))]
        return tuple(columns)

    def __len__(self) -> int:
        return self._length
