"""DelegateDataset: a TabularDataset that reads through another one."""

from __future__ import annotations

from typing import Any

from polychain.dataset.tabular.tabular_dataset import TabularDataset


class DelegateDataset(TabularDataset):
    """A :class:`TabularDataset` with the rows, keys and mode of ``dataset``.

    Subclass it to give a dataset built with :func:`from_data` (or any other
    tabular dataset) a class and methods of its own.

    Args:
        dataset (TabularDataset): The underlying dataset, kept as ``self.dataset``.
    """

    def __init__(self, dataset: TabularDataset) -> None:
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.dataset)

    @property
    def keys(self) -> tuple[str, ...]:
        return self.dataset.keys

    @property
    def mode(self) -> type | None:
        return self.dataset.mode

    def get_examples(self, indices: Any, key_indices: tuple[int, ...] | None) -> tuple:
        return self.dataset.get_examples(indices, key_indices)
