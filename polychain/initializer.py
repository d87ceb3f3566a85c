"""Chainer's ``chainer.initializer`` module: the Initializer base class and ``get_fans``."""

from polychain.initializers.base import Initializer
from polychain.initializers.fan_scaled import fans as get_fans

__all__ = ['Initializer', 'get_fans']
