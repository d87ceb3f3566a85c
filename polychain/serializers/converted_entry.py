"""Entries that a ``serialize`` method parses further (JSON text, an optional number).

An all-or-nothing load (:meth:`Deserializer.load`) first hands each caller its
own value back and only then the loaded one, so what a ``serialize`` method
does with the loaded value (``json.loads``, ``float``) would fail only after
other objects were assigned. :func:`load_converted` applies the conversion to
the entry in the first pass too, so such an entry fails before anything changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from polychain.serializers.serializer import Deserializer

T = TypeVar('T')


def load_converted(serializer: Any, key: str, value: Any, convert: Callable[[Any], T]) -> T:
    """``convert(serializer(key, value))``, with the loaded entry checked in every pass.

    Args:
        serializer: A serializer or deserializer.
        key (str): Name of the entry.
        value: The value to save, or the current value to load over.
        convert: Turns what ``serializer`` returns into the value the caller
            keeps; :class:`TypeError` and :class:`ValueError` from it become a
            :class:`ValueError` naming the key and the source.
    """
    returned = serializer(key, value)
    if returned is value and isinstance(serializer, Deserializer):
        _convert(serializer, key, convert, serializer.load_value(key, value))
    return _convert(serializer, key, convert, returned)


def json_of(kind: type[T]) -> Callable[[Any], T]:
    """A conversion for :func:`load_converted`: JSON text parsed into a ``kind`` (``list``,
    ``dict``), anything else being an error."""

    def parse(text: Any) -> T:
        parsed = json.loads(str(text))
        if not isinstance(parsed, kind):
            raise ValueError(f'expected JSON text of a {kind.__name__}, received one of a '
                             f'{type(parsed).__name__}')
        return parsed
    return parse


def optional_float(value: Any) -> float | None:
    """``None``, or ``value`` (a number or an array of one element) as a float."""
    if value is None:
        return None
    if isinstance(value, str) or getattr(value, 'dtype', None) is not None and \
            value.dtype.kind not in 'biuf':
        raise ValueError(f'expected a real number, received {value!r}')
    if getattr(value, 'shape', ()) not in ((), (1,)):
        raise ValueError(f'expected a number, received an array of shape {tuple(value.shape)}')
    return float(value.reshape(())[()] if hasattr(value, 'reshape') else value)


def _convert(serializer: Any, key: str, convert: Callable[[Any], T], loaded: Any) -> T:
    try:
        return convert(loaded)
    except (TypeError, ValueError) as error:
        full_key = serializer.full_key(key) if hasattr(serializer, 'full_key') else key
        source = getattr(serializer, 'source', 'the source')
        raise ValueError(f'{full_key!r} from {source}: {error}') from error
