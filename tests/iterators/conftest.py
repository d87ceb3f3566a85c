"""Dict-backed serializers with Chainer's protocol: ``value = serializer(key, value)``."""

import pytest


class DictSerializer:
    """Saves each value under its key and returns it unchanged."""

    def __init__(self):
        self.target = {}

    def __call__(self, key, value):
        self.target[key] = value
        return value


class DictDeserializer:
    """Returns the saved value of each key; a missing key raises KeyError."""

    def __init__(self, source):
        self.source = source

    def __call__(self, key, value):
        return self.source[key]


@pytest.fixture
def serializers():
    """The (DictSerializer, DictDeserializer) classes."""
    return DictSerializer, DictDeserializer
