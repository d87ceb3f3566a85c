"""Reading the same index from several datasets zipped together (Tuple/DictDataset)."""

from __future__ import annotations

from typing import Any

import numpy


def take(dataset: Any, index: Any) -> Any:
    """``dataset[index]``, also for an index list on a dataset that only takes ints and slices."""
    if isinstance(index, (list, numpy.ndarray)) and isinstance(dataset, (list, tuple)):
        return [dataset[i] for i in index]
    return dataset[index]


def is_batch_index(index: Any) -> bool:
    """Whether ``index`` selects several examples (a slice, list or integer array)."""
    return isinstance(index, (slice, list, numpy.ndarray))


def check_equal_lengths(caller: str, named_datasets: dict[Any, Any]) -> int:
    """The common length of the datasets; raises ValueError naming the one that differs."""
    if not named_datasets:
        raise ValueError(f'{caller}: expected at least one dataset, received none')
    lengths = {name: len(dataset) for name, dataset in named_datasets.items()}
    first_name, length = next(iter(lengths.items()))
    for name, other in lengths.items():
        if other != length:
            raise ValueError(f'{caller}: expected datasets of equal length, dataset {first_name!r} '
                             f'has {length} examples and dataset {name!r} has {other}')
    return length
