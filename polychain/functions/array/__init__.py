"""Array manipulation: shapes, broadcasting and indexing."""

from polychain.functions.array.broadcast import broadcast_to, sum_to
from polychain.functions.array.get_item import get_item
from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose

__all__ = ['broadcast_to', 'get_item', 'reshape', 'sum_to', 'transpose']
