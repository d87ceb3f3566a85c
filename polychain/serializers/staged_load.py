"""All-or-nothing loading: read and check every entry first, then assign them all."""

from __future__ import annotations

from typing import Any

from polychain.serializers.serializer import Deserializer, store_loaded


class _Staging(Deserializer):
    """First pass: loads each entry into ``staged`` and gives the caller its own value back."""

    checking = True

    def __init__(self, inner: Deserializer, staged: dict[str, Any]) -> None:
        self.inner = inner
        self.staged = staged
        self.path = inner.path
        self.strict = inner.strict
        self.ignore_names = inner.ignore_names

    @property
    def source(self) -> str:
        return self.inner.source

    def __getitem__(self, key: str) -> Deserializer:
        return type(self)(self.inner[key], self.staged)

    def _hand_out(self, value: Any, loaded: Any) -> Any:
        return value

    def load_value(self, key: str, value: Any) -> Any:
        """The entry ``key`` as it will be loaded, read once and kept for the second pass."""
        full_key = self.full_key(key)
        if full_key not in self.staged:
            self.staged[full_key] = self.inner.load_value(key, value)
        return self.staged[full_key]


class _Committing(_Staging):
    """Second pass: hands out the staged entries (reading any the first pass did not ask for)."""

    checking = False

    def _hand_out(self, value: Any, loaded: Any) -> Any:
        return store_loaded(value, loaded)


def load_staged(deserializer: Deserializer, obj: Any) -> None:
    """Loads ``obj`` through ``deserializer``, changing nothing unless every entry loads.

    Args:
        deserializer: Where the values come from.
        obj: Anything with a ``serialize(serializer)`` method.
    """
    staged: dict[str, Any] = {}
    obj.serialize(_Staging(deserializer, staged))
    obj.serialize(_Committing(deserializer, staged))
