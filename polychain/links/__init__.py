"""Links: layers with parameters (Chainer's ``chainer.links``, usually ``L``)."""

from polychain.links.connection.linear import Linear
from polychain.links.model.classifier import Classifier

__all__ = ['Classifier', 'Linear']
