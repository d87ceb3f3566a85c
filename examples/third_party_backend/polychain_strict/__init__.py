"""array-api-strict as a polychain backend: devices ``@strict``, ``@strict:1`` and ``@strict:2``."""

from polychain_strict.backend import StrictBackend

__all__ = ['StrictBackend']
