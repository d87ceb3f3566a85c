"""Links: layers with parameters (Chainer's ``chainer.links``, usually ``L``)."""

from polychain.links.connection.linear import Linear

__all__ = ['Linear']
