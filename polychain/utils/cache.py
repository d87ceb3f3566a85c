"""Properties computed once per object (Chainer's ``utils.cache``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from polychain.configuration import config


class _CachedProperty:
    """A read-only property whose value is computed once per object and backprop mode."""

    def __init__(self, getter: Callable[[Any], Any]) -> None:
        functools.update_wrapper(self, getter)
        self._getter = getter
        self._slot = '_cached_property_' + getter.__name__

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        values = obj.__dict__.get(self._slot)
        if values is None:
            values = obj.__dict__[self._slot] = {}
        mode = bool(config.enable_backprop)
        if mode not in values:
            values[mode] = self._getter(obj)
        return values[mode]


def cached_property(getter: Callable[[Any], Any]) -> _CachedProperty:
    """Decorates a method as a property computed on first access and then reused.

    A value computed with backprop enabled carries a graph and one computed in
    ``no_backprop_mode`` does not, so each mode keeps its own value.

    Args:
        getter: The method computing the value from ``self``.
    """
    return _CachedProperty(getter)
