"""SubDataset and the functions that split a dataset into subsets or cross-validation folds."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy

from polychain.dataset.dataset_mixin import DatasetMixin


class SubDataset(DatasetMixin):
    """The examples ``start`` to ``finish`` of a base dataset, optionally permuted.

    The ``i``-th example is ``dataset[order[start + i]]`` (``dataset[start + i]``
    without ``order``); a negative ``i`` counts from ``finish``.

    Args:
        dataset: The base dataset.
        start (int): First index of the subset (into ``order`` when given).
        finish (int): One past the last index of the subset.
        order (sequence of ints): A permutation of the base dataset's indexes.
    """

    def __init__(self, dataset: Any, start: int, finish: int,
                 order: Sequence[int] | None = None) -> None:
        if start < 0 or finish > len(dataset) or start > finish:
            raise ValueError(f'SubDataset: expected 0 <= start <= finish <= {len(dataset)} (the '
                             f'base dataset size), received start={start}, finish={finish}')
        if order is not None and len(order) != len(dataset):
            raise ValueError(f'SubDataset: expected order of the base dataset\'s length '
                             f'{len(dataset)}, received one of length {len(order)}')
        self._dataset = dataset
        self._start = start
        self._finish = finish
        self._size = finish - start
        self._order = order

    def __len__(self) -> int:
        return self._size

    def get_example(self, i: int) -> Any:
        if not -self._size <= i < self._size:
            raise IndexError(f'SubDataset: index {i} is out of range for {self._size} examples')
        index = self._start + i if i >= 0 else self._finish + i
        if self._order is not None:
            index = self._order[index]
        return self._dataset[index]


def split_dataset(dataset: Any, split_at: int,
                  order: Sequence[int] | None = None) -> tuple[SubDataset, SubDataset]:
    """Splits a dataset into the examples before and from ``split_at``.

    Args:
        dataset: The dataset to split.
        split_at (int): Size of the first subset.
        order (sequence of ints): A permutation of the dataset's indexes; the
            subsets are ``order[:split_at]`` and ``order[split_at:]``.

    Returns:
        tuple: Two :class:`SubDataset` objects.
    """
    if isinstance(split_at, bool) or not isinstance(split_at, (int, numpy.integer)):
        raise TypeError(f'split_dataset: expected split_at to be an int, received '
                        f'{type(split_at).__name__}')
    size = len(dataset)
    if not 0 <= split_at <= size:
        raise ValueError(f'split_dataset: expected 0 <= split_at <= {size} (the dataset size), '
                         f'received {split_at}')
    return SubDataset(dataset, 0, split_at, order), SubDataset(dataset, split_at, size, order)


def split_dataset_random(dataset: Any, first_size: int,
                         seed: int | None = None) -> tuple[SubDataset, SubDataset]:
    """Splits a dataset into two random subsets, the first of ``first_size`` examples.

    Args:
        dataset: The dataset to split.
        first_size (int): Size of the first subset.
        seed (int): Seed of the permutation; the same seed gives the same split.
    """
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return split_dataset(dataset, first_size, order)


def split_dataset_n(dataset: Any, n: int, order: Sequence[int] | None = None) -> list[SubDataset]:
    """Splits a dataset into ``n`` subsets of ``len(dataset) // n`` examples each.

    Args:
        dataset: The dataset to split.
        n (int): The number of subsets.
        order (sequence of ints): A permutation of the dataset's indexes.
    """
    size = len(dataset) // n
    return [SubDataset(dataset, size * i, size * (i + 1), order) for i in range(n)]


def split_dataset_n_random(dataset: Any, n: int, seed: int | None = None) -> list[SubDataset]:
    """Splits a dataset into ``n`` random subsets of ``len(dataset) // n`` examples each.

    Args:
        dataset: The dataset to split.
        n (int): The number of subsets.
        seed (int): Seed of the permutation.
    """
    return split_dataset_n(dataset, n, numpy.random.RandomState(seed).permutation(len(dataset)))


def _n_folds_argument(caller: str, n_folds: int | None, kwargs: dict[str, Any]) -> int:
    """``n_folds``, or the deprecated ``n_fold`` keyword."""
    if 'n_fold' in kwargs:
        warnings.warn(f'{caller}: n_fold is deprecated, use n_folds', DeprecationWarning,
                      stacklevel=3)
        if n_folds is None:
            n_folds = kwargs.pop('n_fold')
        else:
            kwargs.pop('n_fold')
    if kwargs:
        raise TypeError(f'{caller}: unexpected keyword arguments {sorted(kwargs)}')
    if n_folds is None:
        raise TypeError(f'{caller}: missing the required argument n_folds')
    return n_folds


def get_cross_validation_datasets(dataset: Any, n_folds: int | None = None,
                                  order: Sequence[int] | None = None,
                                  **kwargs: Any) -> list[tuple[SubDataset, SubDataset]]:
    """Training/test splits for ``n_folds``-fold cross validation.

    The test subsets do not overlap, together cover the dataset, and differ
    in size by at most one. The first split tests on the last part of
    ``order``; each following split rotates ``order`` by the size of the test
    part it used, so its test part is the part before.

    Args:
        dataset: The dataset to split.
        n_folds (int): The number of splits (``n_fold`` is a deprecated alias).
        order (sequence of ints): A permutation of the dataset's indexes
            (default: no permutation).

    Returns:
        list: ``n_folds`` tuples ``(train, test)`` of :class:`SubDataset`.
    """
    n_folds = _n_folds_argument('get_cross_validation_datasets', n_folds, kwargs)
    size = len(dataset)
    order = numpy.arange(size) if order is None else numpy.array(order)
    borders = [size * i // n_folds for i in range(n_folds + 1)]
    test_sizes = [borders[i + 1] - borders[i] for i in range(n_folds)]
    splits = []
    for test_size in reversed(test_sizes):
        splits.append(split_dataset(dataset, size - test_size, order))
        order = numpy.roll(order, test_size)
    return splits


def get_cross_validation_datasets_random(dataset: Any, n_folds: int | None = None,
                                         seed: int | None = None,
                                         **kwargs: Any) -> list[tuple[SubDataset, SubDataset]]:
    """Like :func:`get_cross_validation_datasets` with a random ``order``.

    Args:
        dataset: The dataset to split.
        n_folds (int): The number of splits (``n_fold`` is a deprecated alias).
        seed (int): Seed of the permutation.
    """
    n_folds = _n_folds_argument('get_cross_validation_datasets_random', n_folds, kwargs)
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return get_cross_validation_datasets(dataset, n_folds, order)
