"""Functions that connect inputs through weights."""

from polychain.functions.connection.linear import linear

__all__ = ['linear']
