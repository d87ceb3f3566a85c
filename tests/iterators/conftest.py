"""polychain's dictionary serializers as snapshots use them: ``value = serializer(key, value)``."""

import pytest

from polychain.serializers import DictionarySerializer, NpzDeserializer


def DictSerializer():  # noqa: N802 - used like a class by the tests
    """A serializer that records every value in its ``target`` dict."""
    return DictionarySerializer()


def DictDeserializer(source):  # noqa: N802 - used like a class by the tests
    """A deserializer that returns the values saved in ``source``."""
    return NpzDeserializer(source)


@pytest.fixture
def serializers():
    """The (DictSerializer, DictDeserializer) factories."""
    return DictSerializer, DictDeserializer
