"""Activation functions."""

from polychain.functions.activation.relu import relu
from polychain.functions.activation.sigmoid import sigmoid
from polychain.functions.activation.tanh import tanh

__all__ = ['relu', 'sigmoid', 'tanh']
