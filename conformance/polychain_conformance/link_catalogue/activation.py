"""Link cases of the activation links: Maxout, PReLU and Swish."""

from __future__ import annotations

import polychain.links as L
from polychain import initializers
from polychain_conformance.link_cases import LinkCase
from polychain_conformance.spec import Input

LINK_CASES: tuple[LinkCase, ...] = (
    LinkCase('Maxout', lambda dtype: L.Maxout(
        4, 3, 2, initialW=initializers.Normal(1.0, dtype=dtype),
        initial_bias=initializers.Uniform(0.5, dtype=dtype)), (Input((5, 4)),)),
    LinkCase('Maxout', lambda dtype: L.Maxout(4, 3, 2, initialW=initializers.Normal(
        1.0, dtype=dtype), initial_bias=None), (Input((5, 4)),), name='Maxout_nobias'),
    LinkCase('PReLU', lambda dtype: L.PReLU((3,)), (Input((4, 3, 2), gap=0.1),)),
    LinkCase('PReLU', lambda dtype: L.PReLU(), (Input((4, 3), gap=0.1),),
             name='PReLU_shared_slope'),
    LinkCase('Swish', lambda dtype: L.Swish((3,)), (Input((4, 3, 2)),)),
    # A lazily created parameter takes its initializer's dtype (config.dtype when it has none).
    LinkCase('Swish', lambda dtype: L.Swish(None, initializers.Constant(1.0, dtype)),
             (Input((4, 3)),), name='Swish_lazy', lazy=True),
)
