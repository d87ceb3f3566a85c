"""dataset.join(*others): the columns of several datasets of the same length, side by side."""

from __future__ import annotations

from typing import Any

from polychain.dataset.tabular.tabular_dataset import TabularDataset, register_view


@register_view
class Join(TabularDataset):
    """The columns of ``datasets`` in order; the mode is the first non-``None`` one's.

    Raises:
        ValueError: The datasets differ in length, or two of them share a key.
    """

    def __init__(self, *datasets: TabularDataset) -> None:
        length = len(datasets[0])
        keys: list[str] = []
        self._owners: list[tuple[int, int]] = []  # (dataset, its column) of each column
        for number, dataset in enumerate(datasets):
            if len(dataset) != length:
                raise ValueError(f'join: every dataset needs {length} rows, received one of '
                                 f'{len(dataset)}')
            for column, key in enumerate(dataset.keys):
                if key in keys:
                    raise ValueError(f'join: the key {key!r} appears in two datasets')
                keys.append(key)
                self._owners.append((number, column))
        self._datasets = datasets
        self._keys = tuple(keys)

    def __len__(self) -> int:
        return len(self._datasets[0])

    @property
    def keys(self) -> tuple[str, ...]:
        return self._keys

    @property
    def mode(self) -> type:
        for dataset in self._datasets:
            if dataset.mode is not None:
                return dataset.mode
        return tuple

    def get_examples(self, indices: Any, key_indices: tuple[int, ...] | None) -> tuple:
        if key_indices is None:
            return tuple(column for dataset in self._datasets
                         for column in dataset.get_examples(indices, None))
        wanted: dict[int, list[int]] = {}
        places = []
        for key_index in key_indices:
            number, column = self._owners[key_index]
            columns = wanted.setdefault(number, [])
            places.append((number, len(columns)))
            columns.append(column)
        results = {number: self._datasets[number].get_examples(indices, tuple(columns))
                   for number, columns in wanted.items()}
        return tuple(results[number][place] for number, place in places)

    def convert(self, data: Any) -> Any:
        return self._datasets[0].convert(data)
