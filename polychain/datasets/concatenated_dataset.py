"""ConcatenatedDataset: several datasets read one after another."""

from __future__ import annotations

from typing import Any

from polychain.dataset.dataset_mixin import DatasetMixin


class ConcatenatedDataset(DatasetMixin):
    """The examples of each dataset in turn: 10 and 20 examples give a dataset of 30.

    Args:
        datasets: The datasets to concatenate.
    """

    def __init__(self, *datasets: Any) -> None:
        self._datasets = datasets

    def __len__(self) -> int:
        return sum(len(dataset) for dataset in self._datasets)

    def get_example(self, i: int) -> Any:
        if i < 0:
            raise IndexError(f'ConcatenatedDataset: expected a non-negative index, received {i}')
        position = i
        for dataset in self._datasets:
            if position < len(dataset):
                return dataset[position]
            position -= len(dataset)
        raise IndexError(f'ConcatenatedDataset: index {i} is out of range for {len(self)} '
                         f'examples')
