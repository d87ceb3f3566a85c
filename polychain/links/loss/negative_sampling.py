"""NegativeSampling: the negative sampling loss layer, with its weights and word sampler."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

from polychain.configuration import get_dtype
from polychain.device_resident import DeviceResidentsVisitor
from polychain.functions.loss import negative_sampling
from polychain.link import Link
from polychain.parameter import Parameter
from polychain.utils.walker_alias import WalkerAlias
from polychain.variable import Variable


class NegativeSampling(Link):
    """Negative sampling loss layer (wraps :func:`~polychain.functions.negative_sampling`).

    Negatives are drawn from the word counts raised to ``power`` by a
    :class:`~polychain.utils.WalkerAlias` sampler, which moves with the link.

    Args:
        in_size: Dimension of the input vectors.
        counts: Number of occurrences of each word (the vocabulary size is its length).
        sample_size: Number of negative samples per input.
        power: The power the counts are raised to.
        dtype: Dtype the sampling distribution is computed in (default ``config.dtype``).

    Attributes:
        W: Weight matrix ``(len(counts), in_size)``, initialised with zeros.
        sampler: The :class:`~polychain.utils.WalkerAlias` drawing the negatives.
    """

    def __init__(self, in_size: int, counts: Sequence[float], sample_size: int,
                 power: float = 0.75, dtype: Any = None) -> None:
        super().__init__()
        dtype = get_dtype(dtype)
        self.sample_size = sample_size
        self.sampler = WalkerAlias(numpy.power(numpy.asarray(counts, dtype), dtype.type(power)))
        with self.init_scope():
            self.W = Parameter(0, (len(counts), in_size))

    def device_resident_accept(self, visitor: DeviceResidentsVisitor) -> None:
        """Hands the link, its parameter and its sampler to ``visitor``."""
        super().device_resident_accept(visitor)
        self.sampler.device_resident_accept(visitor)

    def forward(self, x: Any, t: Any, reduce: str = 'sum', *,
                return_samples: bool = False) -> Variable | tuple[Variable, Any]:
        """The loss of ``x`` against the labels ``t``.

        Args:
            x: Input vectors, shape ``(B, in_size)``.
            t: Labels, shape ``(B,)`` (``-1`` is ignored).
            reduce: ``'sum'`` or ``'no'``.
            return_samples: Also return the ``(B, sample_size + 1)`` ids used.
        """
        return negative_sampling.negative_sampling(
            x, t, self.W, self.sampler.sample, self.sample_size, reduce=reduce,
            return_samples=return_samples)
