"""dataset.with_converter(converter): the same data with another convert."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.dataset.tabular.delegate_dataset import DelegateDataset
from polychain.dataset.tabular.tabular_dataset import TabularDataset, register_view


@register_view
class WithConverter(DelegateDataset):
    """``dataset`` whose :meth:`convert` is ``converter`` applied to the columns."""

    def __init__(self, dataset: TabularDataset, converter: Callable[..., Any]) -> None:
        super().__init__(dataset)
        self._converter = converter

    def convert(self, data: Any) -> Any:
        if isinstance(data, tuple):
            return self._converter(*data)
        if isinstance(data, dict):
            return self._converter(**data)
        return self._converter(data)
