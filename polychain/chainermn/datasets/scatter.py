"""Splitting a data set over the ranks: ``scatter_dataset`` and ``scatter_index``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy

from polychain.datasets import SubDataset


def _scatter_index(n_total_samples: int, size: int,
                   force_equal_length: bool) -> Iterator[tuple[int, int, int]]:
    """Yields ``(rank, begin, end)`` for each of ``size`` ranks.

    With ``force_equal_length`` every range has ``ceil(n / size)`` elements (the
    ranges overlap where ``size`` does not divide ``n``); otherwise the ranges are
    disjoint and their lengths differ by at most one.
    """
    if force_equal_length:
        n_sub_samples = (n_total_samples + size - 1) // size
        for rank in range(size):
            begin = n_total_samples * rank // size
            yield rank, begin, begin + n_sub_samples
    else:
        stride, extra = divmod(n_total_samples, size)
        for rank in range(size):
            begin = rank * stride + min(rank, extra)
            yield rank, begin, begin + stride + (1 if rank < extra else 0)


def scatter_index(n_total_samples: int, comm: Any, root: int = 0, *,
                  force_equal_length: bool = True) -> tuple[int, int]:
    """This rank's ``(begin, end)`` in a range of ``n_total_samples`` split over the ranks.

    Only ``root``'s ``n_total_samples`` counts.
    """
    n_total_samples = comm.bcast_obj(n_total_samples, root=root)
    for rank, begin, end in _scatter_index(n_total_samples, comm.size, force_equal_length):
        if rank == comm.rank:
            return begin, end
    raise AssertionError('unreachable: every rank has a range')


def scatter_dataset(dataset: Any, comm: Any, root: int = 0, shuffle: bool = False,
                    seed: int | None = None, max_buf_len: int = 256 * 1024 * 1024, *,
                    force_equal_length: bool = True) -> SubDataset:
    """Splits ``root``'s ``dataset`` over the ranks; returns this rank's part.

    Args:
        dataset: The data set on ``root`` (ignored elsewhere; pass ``None``).
        comm: A ChainerMN communicator.
        root: The rank that holds the data set.
        shuffle: Whether the parts take the elements in a random order
            (drawn on ``root`` with ``seed``).
        seed: The seed of that order.
        max_buf_len: The largest chunk of the pickled data set in one MPI call.
        force_equal_length: Whether every part has the same length (some elements
            then appear in two parts), as the iterators of all ranks need to end
            their epochs together.
    """
    if not 0 <= root < comm.size:
        raise ValueError(f'scatter_dataset: root must lie in [0, {comm.size}), got {root}')
    if comm.rank == root:
        order = (numpy.random.RandomState(seed).permutation(len(dataset))
                 if shuffle else None)
        payload = (dataset, order)
    else:
        payload = None
    dataset, order = comm.bcast_obj(payload, max_buf_len=max_buf_len, root=root)
    begin, end = next((b, e) for rank, b, e in
                      _scatter_index(len(dataset), comm.size, force_equal_length)
                      if rank == comm.rank)
    return SubDataset(dataset, begin, end, order)
