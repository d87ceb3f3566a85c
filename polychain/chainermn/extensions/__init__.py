"""Trainer extensions over ranks (``chainermn.extensions``)."""

from polychain.chainermn.extensions.checkpoint import create_multi_node_checkpointer
from polychain.chainermn.extensions.multi_node_evaluator import (
    GenericMultiNodeEvaluator,
    create_multi_node_evaluator,
)

__all__ = ['GenericMultiNodeEvaluator', 'create_multi_node_checkpointer',
           'create_multi_node_evaluator']
