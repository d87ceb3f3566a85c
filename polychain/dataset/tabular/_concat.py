"""dataset.concat(*others): the rows of several datasets with the same keys, one after another."""

from __future__ import annotations

import bisect
from typing import Any

from polychain.dataset.tabular import _selection
from polychain.dataset.tabular.tabular_dataset import TabularDataset, register_view


@register_view
class Concat(TabularDataset):
    """The rows of ``datasets`` in order; keys, mode and convert are the first one's.

    Raises:
        ValueError: The datasets do not have the same keys in the same order.
    """

    def __init__(self, *datasets: TabularDataset) -> None:
        keys = datasets[0].keys
        for dataset in datasets[1:]:
            if dataset.keys != keys:
                raise ValueError(f'concat: every dataset needs the keys {keys} in this order, '
                                 f'received {dataset.keys}')
        self._datasets = datasets
        self._offsets = [0]
        for dataset in datasets:
            self._offsets.append(self._offsets[-1] + len(dataset))

    def __len__(self) -> int:
        return self._offsets[-1]

    @property
    def keys(self) -> tuple[str, ...]:
        return self._datasets[0].keys

    @property
    def mode(self) -> type | None:
        return self._datasets[0].mode

    def get_examples(self, indices: Any, key_indices: tuple[int, ...] | None) -> tuple:
        if isinstance(indices, slice):
            parts = self._split_slice(indices)
        elif indices is None:
            parts = [(dataset, None) for dataset in self._datasets]
        else:
            return self._gather(indices, key_indices)
        results = [dataset.get_examples(rows, key_indices) for dataset, rows in parts]
        if len(results) == 1:
            return results[0]
        width = len(self.keys) if key_indices is None else len(key_indices)
        return tuple([value for result in results for value in result[column]]
                     for column in range(width))

    def convert(self, data: Any) -> Any:
        return self._datasets[0].convert(data)

    def _split_slice(self, indices: slice) -> list[tuple[TabularDataset, slice]]:
        """Each dataset holding selected rows, with its own slice, in the order read."""
        start, stop, step = indices.indices(len(self))
        parts = []
        for dataset, offset in zip(self._datasets, self._offsets):
            end = offset + len(dataset)
            if step > 0:
                first = start + max(0, -(-(offset - start) // step)) * step
                last = min(stop, end)
                if first < last:
                    parts.append((dataset, slice(first - offset, last - offset, step)))
            else:
                first = start - max(0, -(-(start - end + 1) // -step)) * -step
                last = max(stop, offset - 1)
                if first > last:
                    local_stop = last - offset
                    parts.append((dataset, slice(first - offset,
                                                 None if local_stop < 0 else local_stop, step)))
        return parts if step > 0 else parts[::-1]

    def _gather(self, indices: list, key_indices: tuple[int, ...] | None) -> tuple:
        """Rows given by number: each dataset is read once, the rows put back in order."""
        wanted: dict[int, tuple[list[int], list[int]]] = {}
        for position, index in enumerate(indices):
            row = _selection.check_row(_selection.as_int(index), len(self))
            part = bisect.bisect_right(self._offsets, row) - 1
            rows, positions = wanted.setdefault(part, ([], []))
            rows.append(row - self._offsets[part])
            positions.append(position)
        if len(wanted) == 1:
            (part, (rows, _)), = wanted.items()
            return self._datasets[part].get_examples(rows, key_indices)
        width = len(self.keys) if key_indices is None else len(key_indices)
        columns = [[None] * len(indices) for _ in range(width)]
        for part, (rows, positions) in wanted.items():
            result = self._datasets[part].get_examples(rows, key_indices)
            for column, values in zip(columns, result):
                for position, value in zip(positions, values):
                    column[position] = value
        return tuple(columns)
