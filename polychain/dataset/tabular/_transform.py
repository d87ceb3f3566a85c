"""dataset.transform(keys, f) and dataset.transform_batch(keys, f): computed columns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.dataset.tabular import _selection
from polychain.dataset.tabular.tabular_dataset import TabularDataset, register_view

_UNKNOWN = object()


@register_view
class Transform(TabularDataset):
    """The examples ``transform`` makes of those of ``dataset``.

    The mode is that of what ``transform`` returns (a tuple, a dict or
    another value), found on first use; it must not change afterwards.

    Args:
        dataset (TabularDataset): The input.
        keys (str or tuple of strs): The names of the output columns.
        transform (callable): Called with an example's columns (positionally
            in tuple mode, by name in dict mode, alone in ``None`` mode).
        batch (bool): ``transform`` receives and returns whole columns
            (:meth:`TabularDataset.transform_batch`) rather than one example.
    """

    def __init__(self, dataset: TabularDataset, keys: Any, transform: Callable[..., Any],
                 batch: bool) -> None:
        self._dataset = dataset
        self._keys = (keys,) if isinstance(keys, str) else tuple(keys)
        self._transform = transform
        self._batch = batch
        self._mode: Any = _UNKNOWN

    def __len__(self) -> int:
        return len(self._dataset)

    @property
    def keys(self) -> tuple[str, ...]:
        return self._keys

    @property
    def mode(self) -> type | None:
        if self._mode is _UNKNOWN:
            if len(self) == 0:
                return None if len(self._keys) == 1 else tuple
            self.get_examples([0], None)
        return self._mode

    def get_examples(self, indices: Any, key_indices: tuple[int, ...] | None) -> tuple:
        inputs = self._dataset.get_examples(indices, None)
        mode = self._dataset.mode
        if self._batch:
            length = _selection.count_rows(indices, len(self._dataset))
            columns = self._split(self._apply(inputs, mode))
            for key, column in zip(self._keys, columns):
                received = _selection.column_length(column)
                if received != length:
                    raise ValueError(f'transform_batch: expected {length} values of '
                                     f'{key!r}, received {received}')
        else:
            rows = [self._split(self._apply(example, mode)) for example in zip(*inputs)]
            columns = tuple(list(column) for column in zip(*rows)) if rows else \
                tuple([] for _ in self._keys)
        if key_indices is None:
            return tuple(columns)
        return tuple(columns[i] for i in key_indices)

    def convert(self, data: Any) -> Any:
        return self._dataset.convert(data)

    def _apply(self, values: tuple, mode: type | None) -> Any:
        """``transform`` called on columns or one example, as the input's ``mode`` says."""
        if mode is tuple:
            return self._transform(*values)
        if mode is dict:
            return self._transform(**dict(zip(self._dataset.keys, values)))
        return self._transform(values[0])

    def _split(self, output: Any) -> tuple:
        """The output's columns; its mode must be that of earlier outputs."""
        mode = tuple if isinstance(output, tuple) else dict if isinstance(output, dict) else None
        if self._mode is _UNKNOWN:
            self._mode = mode
        elif mode is not self._mode:
            raise ValueError(f'transform: the transform returned a {_name(mode)} after a '
                             f'{_name(self._mode)}; it must always return the same kind')
        if mode is dict:
            return tuple(output[key] for key in self._keys)
        columns = output if mode is tuple else (output,)
        if len(columns) != len(self._keys):
            raise ValueError(f'transform: expected {len(self._keys)} values for the keys '
                             f'{self._keys}, received {len(columns)}')
        return columns


def _name(mode: Any) -> str:
    return 'value' if mode is None else mode.__name__
