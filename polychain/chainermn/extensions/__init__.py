"""Trainer extensions over ranks (``chainermn.extensions``)."""

from polychain.chainermn.extensions import multi_node_snapshot as _multi_node_snapshot
from polychain.chainermn.extensions.allreduce_persistent import AllreducePersistent
from polychain.chainermn.extensions.checkpoint import create_multi_node_checkpointer
from polychain.chainermn.extensions.multi_node_early_stopping_trigger import (
    MultiNodeEarlyStoppingTrigger,
)
from polychain.chainermn.extensions.multi_node_evaluator import (
    GenericMultiNodeEvaluator,
    create_multi_node_evaluator,
)
from polychain.chainermn.extensions.multi_node_snapshot import multi_node_snapshot
from polychain.chainermn.extensions.observation_aggregator import ObservationAggregator

__all__ = ['AllreducePersistent', 'GenericMultiNodeEvaluator', 'MultiNodeEarlyStoppingTrigger',
           'ObservationAggregator', '_multi_node_snapshot', 'create_multi_node_checkpointer',
           'create_multi_node_evaluator', 'multi_node_snapshot']
