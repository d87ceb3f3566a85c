"""create_mnbn_model: a copy of a model with multi-node batch normalization."""

from __future__ import annotations

import copy
from typing import Any

from polychain.chainermn.links.batch_normalization import MultiNodeBatchNormalization
from polychain.link import Chain, ChainList, Link
from polychain.links.normalization.batch_normalization import BatchNormalization


def _multi_node_copy(bn: BatchNormalization, comm: Any,
                     communication_backend: str) -> MultiNodeBatchNormalization:
    mnbn = MultiNodeBatchNormalization(
        tuple(bn.avg_mean.shape), comm, decay=bn.decay, eps=bn.eps, dtype=bn.avg_mean.dtype,
        use_gamma=bn.gamma is not None, use_beta=bn.beta is not None,
        communication_backend=communication_backend)
    mnbn.to_device(bn.device)
    mnbn.copyparams(bn)
    mnbn.N = bn.N
    return mnbn


def create_mnbn_model(link: Link, comm: Any, communication_backend: str = 'auto') -> Link:
    """A deep copy of ``link`` whose ``BatchNormalization`` links are multi-node ones.

    Chains, ChainLists and Sequentials are copied with each child converted;
    a ``BatchNormalization`` becomes a :class:`MultiNodeBatchNormalization`
    with its parameters and statistics; other links are deep-copied.
    """
    if isinstance(link, BatchNormalization) and not isinstance(link, MultiNodeBatchNormalization):
        return _multi_node_copy(link, comm, communication_backend)
    new = copy.deepcopy(link)
    if isinstance(link, Chain):
        with new.init_scope():
            for child in link.children():
                setattr(new, child.name, create_mnbn_model(child, comm, communication_backend))
    elif isinstance(link, ChainList):
        for i, child in enumerate(link):
            if isinstance(child, Link):
                new[i] = create_mnbn_model(child, comm, communication_backend)
    return new
