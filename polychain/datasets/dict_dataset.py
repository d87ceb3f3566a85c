"""DictDataset: several equally long datasets zipped into dicts."""

from __future__ import annotations

from typing import Any

from polychain.datasets.column_access import check_equal_lengths, is_batch_index, take


class DictDataset:
    """Dataset of dicts: the ``i``-th example is ``{name: dataset[i] for each dataset}``.

    Indexing with a slice, list or integer array gives a list of dicts.

    Args:
        datasets: Datasets of equal length given as keyword arguments; the
            keywords become the keys of each example.
    """

    def __init__(self, **datasets: Any) -> None:
        self._length = check_equal_lengths('DictDataset', datasets)
        self._datasets = datasets

    def __getitem__(self, index: Any) -> Any:
        columns = {key: take(dataset, index) for key, dataset in self._datasets.items()}
        if is_batch_index(index):
            length = len(next(iter(columns.values())))
            return [{key: column[i] for key, column in columns.items()} for i in range(length)]
        return columns

    def __len__(self) -> int:
        return self._length
