"""BlackOut: the BlackOut loss layer, with its weights and sampler of negatives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

from polychain.device_resident import DeviceResidentsVisitor
from polychain.functions.loss import black_out
from polychain.link import Link
from polychain.parameter import Parameter
from polychain.utils.walker_alias import WalkerAlias
from polychain.variable import Variable


class BlackOut(Link):
    """BlackOut loss layer (wraps :func:`~polychain.functions.black_out`).

    Args:
        in_size: Dimension of the input vectors.
        counts: Number of occurrences of each word; negatives are drawn in proportion.
        sample_size: Number of negative samples per input.

    Attributes:
        W: Weight matrix ``(len(counts), in_size)`` (not initialised: NaN until set).
        sampler: The :class:`~polychain.utils.WalkerAlias` drawing the negatives.
        sample_data: If not ``None``, the negatives used instead of drawing them.
    """

    sample_data: Any = None

    def __init__(self, in_size: int, counts: Sequence[float], sample_size: int) -> None:
        super().__init__()
        self.sampler = WalkerAlias(numpy.asarray(counts, numpy.float32))
        self.sample_size = sample_size
        with self.init_scope():
            self.W = Parameter(shape=(len(counts), in_size))

    def device_resident_accept(self, visitor: DeviceResidentsVisitor) -> None:
        """Hands the link, its parameter and its sampler to ``visitor``."""
        super().device_resident_accept(visitor)
        self.sampler.device_resident_accept(visitor)

    def forward(self, x: Any, t: Any) -> Variable:
        """The mean loss of ``x`` ``(B, in_size)`` against the labels ``t`` ``(B,)``."""
        samples = self.sample_data
        if samples is None:
            samples = self.sampler.sample((x.shape[0], self.sample_size))
        return black_out.black_out(x, t, self.W, samples)
