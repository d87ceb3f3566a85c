"""Chainer's ``chainer.serializer`` module: the base classes of serializers and deserializers."""

from polychain.serializers.serializer import AbstractSerializer, Deserializer, Serializer

__all__ = ['AbstractSerializer', 'Deserializer', 'Serializer']
