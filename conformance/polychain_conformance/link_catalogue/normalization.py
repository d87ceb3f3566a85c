"""Link cases of the normalization links (``polychain.links.normalization``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

import polychain.links as L
from polychain import initializers
from polychain.link import Link
from polychain_conformance.link_cases import LinkCase
from polychain_conformance.spec import Input, Tolerance


def _random_affine(link: str, *args: Any, **kwargs: Any) -> Callable[[numpy.dtype], Link]:
    """``L.<link>(*args, **kwargs)`` with random ``gamma`` and ``beta`` of the cell's dtype."""
    def build(dtype: numpy.dtype) -> Link:
        return getattr(L, link)(*args, initial_gamma=initializers.Uniform(0.5, dtype=dtype),
                                initial_beta=initializers.Uniform(0.5, dtype=dtype), **kwargs)
    return build


# An eigendecomposition per group: float32 keeps about six digits of the whitened values.
_WHITENING = {'float32': Tolerance(1e-5, 1e-4, 1e-3, 1e-2, 1e-3)}

LINK_CASES: tuple[LinkCase, ...] = (
    LinkCase('BatchNormalization', _random_affine('BatchNormalization', 3),
             (Input((5, 3, 2)),)),
    LinkCase('BatchNormalization', _random_affine('BatchNormalization', 3), (Input((5, 3)),),
             name='BatchNormalization_finetune', kwargs={'finetune': True}),
    LinkCase('BatchNormalization', _random_affine('BatchNormalization', axis=(0, 2, 3)),
             (Input((2, 3, 2, 2)),), name='BatchNormalization_lazy_axis', lazy=True),
    LinkCase('BatchNormalization',
             lambda dtype: L.BatchNormalization(4, use_gamma=False, use_beta=False),
             (Input((6, 4)),), name='BatchNormalization_no_affine'),
    LinkCase('BatchRenormalization', _random_affine('BatchRenormalization', 3),
             (Input((5, 3, 2)),)),
    LinkCase('DecorrelatedBatchNormalization',
             lambda dtype: L.DecorrelatedBatchNormalization(4, groups=2, dtype=dtype),
             (Input((6, 4, 3)),), tolerances=_WHITENING),
    LinkCase('DecorrelatedBatchNormalization',
             lambda dtype: L.DecorrelatedBatchNormalization(3, groups=None, group_size=3,
                                                            dtype=dtype),
             (Input((8, 3)),), name='DecorrelatedBatchNormalization_finetune',
             kwargs={'finetune': True}, tolerances=_WHITENING),
    LinkCase('GroupNormalization', _random_affine('GroupNormalization', 2, 4),
             (Input((3, 4, 2, 2)),)),
    LinkCase('GroupNormalization', _random_affine('GroupNormalization', 2),
             (Input((3, 4, 3)),), name='GroupNormalization_lazy', lazy=True),
    LinkCase('LayerNormalization', _random_affine('LayerNormalization', 5), (Input((4, 5)),)),
    LinkCase('LayerNormalization', _random_affine('LayerNormalization'), (Input((4, 5)),),
             name='LayerNormalization_lazy', lazy=True),
)
