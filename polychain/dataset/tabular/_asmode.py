"""dataset.astuple() and dataset.asdict(): the same columns in another mode."""

from __future__ import annotations

from typing import Any

from polychain.dataset.tabular.delegate_dataset import DelegateDataset
from polychain.dataset.tabular.tabular_dataset import TabularDataset, register_view


@register_view
class AsMode(DelegateDataset):
    """``dataset`` with examples in ``mode`` (:class:`tuple` or :class:`dict`)."""

    def __init__(self, dataset: TabularDataset, mode: type) -> None:
        super().__init__(dataset)
        self._mode = mode

    @property
    def mode(self) -> type:
        return self._mode

    def convert(self, data: Any) -> Any:
        return self.dataset.convert(data)
