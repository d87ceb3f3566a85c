"""Iterators over ranks (``chainermn.iterators``)."""

from polychain.chainermn.iterators.multi_node_iterator import create_multi_node_iterator
from polychain.chainermn.iterators.synchronized_iterator import create_synchronized_iterator

__all__ = ['create_multi_node_iterator', 'create_synchronized_iterator']
