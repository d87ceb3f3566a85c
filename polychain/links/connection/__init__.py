"""Links that connect inputs through weights."""

from polychain.links.connection.linear import Linear

__all__ = ['Linear']
