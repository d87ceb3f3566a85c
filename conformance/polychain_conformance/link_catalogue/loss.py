"""Cases of the loss links: CRF1d, NegativeSampling, BlackOut and BinaryHierarchicalSoftmax.

The sampling links draw their negatives from the device's generator, which
differs between backends; their cases fix the negatives (an input array), so
that every device computes the same loss.
"""

from __future__ import annotations

from typing import Any

import numpy

import polychain.links as L
from polychain import initializers
from polychain.link import Chain, Link
from polychain_conformance.link_cases import LinkCase
from polychain_conformance.spec import ArrayConstant, Input


class _CRF(Chain):
    """Calls CRF1d with the first ``n`` inputs as ``xs`` and the others as ``ys``."""

    def __init__(self, transpose: bool, reduce: str = 'mean') -> None:
        super().__init__()
        self.transpose = transpose
        self.reduce = reduce
        with self.init_scope():
            self.crf = L.CRF1d(3, initial_cost=initializers.Uniform(1.0))

    def forward(self, *args: Any) -> Any:
        n = len(args) // 2
        return self.crf(list(args[:n]), list(args[n:]), reduce=self.reduce,
                        transpose=self.transpose)


class _GivenSampler:
    """Stands for a link's sampler during one call: returns the given ids."""

    def __init__(self, samples: Any) -> None:
        self.samples = samples

    def sample(self, shape: tuple[int, ...]) -> Any:
        assert tuple(self.samples.shape) == tuple(shape), (self.samples.shape, shape)
        return self.samples


class _Sampled(Chain):
    """Calls a NegativeSampling or BlackOut link with its negatives given as the last input."""

    def __init__(self, link: Link, **kwargs: Any) -> None:
        super().__init__()
        self.kwargs = kwargs
        with self.init_scope():
            self.link = link
        # W of NegativeSampling starts at zero and BlackOut's is not initialised.
        self.link.W.array[...] = numpy.random.uniform(-1, 1, self.link.W.shape)

    def forward(self, x: Any, t: Any, samples: Any) -> Any:
        sampler = self.link.sampler
        self.link.sampler = _GivenSampler(samples)
        try:
            return self.link(x, t, **self.kwargs)
        finally:
            self.link.sampler = sampler


_COUNTS = [5, 1, 3, 2, 4]
# Three sequences of lengths 3, 2 and 1 (position-major), and the same ones per sequence.
_CRF_BY_POSITION = (Input((3, 3)), Input((2, 3)), Input((1, 3)),
                    ArrayConstant([0, 2, 1], 'int32'), ArrayConstant([1, 1], 'int32'),
                    ArrayConstant([2], 'int32'))
_CRF_BY_SEQUENCE = (Input((2, 3)), Input((3, 3)), Input((1, 3)),
                    ArrayConstant([0, 2], 'int32'), ArrayConstant([1, 1, 2], 'int32'),
                    ArrayConstant([1], 'int32'))

LINK_CASES: tuple[LinkCase, ...] = (
    LinkCase('CRF1d', lambda dtype: _CRF(False), _CRF_BY_POSITION),
    LinkCase('CRF1d', lambda dtype: _CRF(True, 'no'), _CRF_BY_SEQUENCE,
             name='CRF1d_transpose_no_reduce'),
    LinkCase('NegativeSampling', lambda dtype: _Sampled(L.NegativeSampling(4, _COUNTS, 2)),
             (Input((3, 4)), ArrayConstant([0, -1, 3], 'int32'),
              ArrayConstant([[1, 4, 2], [0, 1, 1], [2, 2, 0]], 'int32'))),
    LinkCase('NegativeSampling', lambda dtype: _Sampled(L.NegativeSampling(4, _COUNTS, 2),
                                                        reduce='no'),
             (Input((3, 4)), ArrayConstant([0, 4, 3], 'int32'),
              ArrayConstant([[1, 4, 2], [0, 1, 1], [2, 2, 0]], 'int32')),
             name='NegativeSampling_no_reduce'),
    LinkCase('BlackOut', lambda dtype: _Sampled(L.BlackOut(4, _COUNTS, 3)),
             (Input((3, 4)), ArrayConstant([0, 4, 3], 'int32'),
              ArrayConstant([[1, 4, 2], [0, 1, 1], [2, 2, 0]], 'int32'))),
    LinkCase('BinaryHierarchicalSoftmax',
             lambda dtype: L.BinaryHierarchicalSoftmax(
                 3, L.BinaryHierarchicalSoftmax.create_huffman_tree(dict(enumerate(_COUNTS)))),
             (Input((4, 3)), ArrayConstant([0, 4, 1, 2], 'int32'))),
)
