"""Walker's alias method: O(1) sampling from a fixed discrete distribution."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

from polychain.device_resident import DeviceResident, DeviceResidentsVisitor


def _alias_table(probs: Sequence[float]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """``(threshold, values)`` of the alias table of ``probs`` (normalised here).

    Bucket ``i`` keeps its own entry ``values[2 * i]`` with probability
    ``threshold[i]`` and its alias ``values[2 * i + 1]`` otherwise.
    """
    weights = numpy.asarray(probs, dtype=numpy.float64).ravel()
    n = weights.size
    if n == 0 or not numpy.all(numpy.isfinite(weights)) or numpy.any(weights < 0) or \
            weights.sum() <= 0:
        raise ValueError(f'WalkerAlias: expected a non-empty list of non-negative finite '
                         f'probabilities with a positive sum, received {list(weights)}')
    scaled = weights * (n / weights.sum())
    threshold = numpy.ones(n, dtype=numpy.float64)
    alias = numpy.arange(n, dtype=numpy.int32)
    small = [i for i in range(n) if scaled[i] < 1.0]
    large = [i for i in range(n) if scaled[i] >= 1.0]
    while small and large:
        lesser, greater = small.pop(), large.pop()
        threshold[lesser] = scaled[lesser]
        alias[lesser] = greater
        scaled[greater] -= 1.0 - scaled[lesser]
        (small if scaled[greater] < 1.0 else large).append(greater)
    values = numpy.empty(2 * n, dtype=numpy.int32)
    values[0::2] = numpy.arange(n, dtype=numpy.int32)
    values[1::2] = alias
    return threshold, values


class WalkerAlias(DeviceResident):
    """Implementation of Walker's alias method.

    Draws indexes ``i`` with probability ``probs[i] / sum(probs)`` in O(1) per
    sample. The table lives on :attr:`device` and moves with ``to_device`` (or
    with the link holding the sampler); uniform numbers come from that
    device's generator, so ``device.seed(n)`` makes the samples repeatable.

    Args:
        probs (list of float): Probabilities (weights) of the entries; they
            are normalised by their sum.
        device: Where the table lives and samples are drawn (default ``'@numpy'``).

    Attributes:
        threshold: Per bucket, the probability of keeping its own entry.
        values: ``values[2 * i]`` is bucket ``i``'s entry, ``values[2 * i + 1]``
            its alias (int32).
    """

    def __init__(self, probs: Sequence[float], device: Any = '@numpy') -> None:
        super().__init__()
        threshold, values = _alias_table(probs)
        self.threshold = threshold
        self.values = values
        self.to_device(device)

    @property
    def use_gpu(self) -> bool:
        """Whether the table lives on a CuPy device."""
        return self.device.backend.name == 'cupy'

    def device_resident_accept(self, visitor: DeviceResidentsVisitor) -> None:
        """Hands the sampler and its table to ``visitor``."""
        super().device_resident_accept(visitor)
        self.threshold = visitor.visit_array(self.threshold)
        self.values = visitor.visit_array(self.values)

    def sample(self, shape: int | Sequence[int]) -> Any:
        """Draws int32 indexes of the given shape on :attr:`device`.

        Args:
            shape (int or tuple of int): Shape of the result.
        """
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        xp = self.device.namespace
        n = self.threshold.shape[0]
        size = 1
        for extent in shape:
            size *= extent
        position = self.device.random.uniform((size,), numpy.float64) * n
        index = xp.astype(xp.floor(position), xp.int32)
        keep = (position - xp.astype(index, xp.float64)) < xp.take(self.threshold, index)
        chosen = xp.where(keep, xp.take(self.values, 2 * index),
                          xp.take(self.values, 2 * index + 1))
        return xp.reshape(chosen, shape)
