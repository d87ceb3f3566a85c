"""TransformDataset: a dataset whose examples pass through a function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.dataset.dataset_mixin import DatasetMixin


class TransformDataset(DatasetMixin):
    """Applies ``transform`` to each example of ``dataset`` when it is read.

    Args:
        dataset: The underlying dataset.
        transform (callable): Called with one example; its result is the
            example of this dataset.
    """

    def __init__(self, dataset: Any, transform: Callable[[Any], Any]) -> None:
        self._dataset = dataset
        self._transform = transform

    def __len__(self) -> int:
        return len(self._dataset)

    def get_example(self, i: int) -> Any:
        return self._transform(self._dataset[i])
