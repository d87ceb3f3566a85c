"""dataset.slice[indices, keys]: a view of some rows and columns of a dataset."""

from __future__ import annotations

from typing import Any

from polychain.dataset.tabular import _selection
from polychain.dataset.tabular.tabular_dataset import TabularDataset, register_view


@register_view
class SliceHelper:
    """What ``TabularDataset.slice`` returns: ``helper[indices]``, ``helper[indices, keys]``."""

    def __init__(self, dataset: TabularDataset) -> None:
        self._dataset = dataset

    def __getitem__(self, args: Any) -> TabularDataset:
        if isinstance(args, tuple):
            indices, keys = args
        else:
            indices, keys = args, None
        return Slice(self._dataset, indices, keys)


class Slice(TabularDataset):
    """The rows ``indices`` and columns ``keys`` of ``dataset``, read on demand.

    Args:
        dataset (TabularDataset): The dataset viewed.
        indices: A slice, or a sequence of ints or of one bool per row.
        keys: ``None`` (every column), an int or name (a view in ``None``
            mode), or a tuple of ints and names.
    """

    def __init__(self, dataset: TabularDataset, indices: Any, keys: Any) -> None:
        self._dataset = dataset
        self._rows = _selection.select_rows(indices, len(dataset))
        if keys is None:
            self._key_indices = None
            self._mode = dataset.mode
        else:
            self._key_indices = _selection.select_keys(keys, dataset.keys)
            self._mode = tuple if isinstance(keys, (tuple, list)) else None
            if self._mode is tuple:
                self._mode = dataset.mode or tuple

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def keys(self) -> tuple[str, ...]:
        keys = self._dataset.keys
        if self._key_indices is None:
            return keys
        return tuple(keys[i] for i in self._key_indices)

    @property
    def mode(self) -> type | None:
        return self._mode

    def get_examples(self, indices: Any, key_indices: tuple[int, ...] | None) -> tuple:
        rows = _selection.compose_rows(self._rows, indices, len(self._dataset))
        columns = _selection.compose_keys(self._key_indices, key_indices)
        return self._dataset.get_examples(_selection.as_argument(rows), columns)

    def convert(self, data: Any) -> Any:
        return self._dataset.convert(data)
