"""Methods that subclasses must not override (Chainer's ``utils.enable_final`` and ``final``)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any


class _FinalChecking(type):
    """Metaclass checking, when a class is created, that it overrides no final method."""

    def __init__(cls, name: str, bases: tuple[type, ...], namespace: dict[str, Any],
                 **kwargs: Any) -> None:
        super().__init__(name, bases, namespace, **kwargs)
        for attribute in namespace:
            for base in cls.__mro__[1:]:
                if attribute not in base.__dict__:
                    continue
                action = getattr(base.__dict__[attribute], '__final_action__', None)
                if action is not None:
                    message = (f'{name}.{attribute} overrides {base.__name__}.{attribute}, '
                               f'which is final')
                    if issubclass(action, Warning):
                        warnings.warn(message, action, stacklevel=2)
                    else:
                        raise action(message)
                break


def enable_final(base: type | tuple[type, ...] = (),
                 meta_base: type | tuple[type, ...] = ()) -> type:
    """A base class whose subclasses are checked for overriding :func:`final` methods.

    Args:
        base: The base class(es) of the returned class.
        meta_base: The base metaclass(es) to combine with the check (e.g.
            ``abc.ABCMeta``).
    """
    bases = base if isinstance(base, tuple) else (base,)
    meta_bases = meta_base if isinstance(meta_base, tuple) else (meta_base,)
    metaclass = type('FinalChecking', (_FinalChecking,) + meta_bases, {})
    return metaclass('FinalEnabled', bases, {})


def final(*args: Any, action: type = TypeError) -> Any:
    """Declares a method final: overriding it in a subclass raises ``action``.

    Used as ``@final`` or ``@final(action=DeprecationWarning)``; an ``action``
    that is a Warning class warns instead of raising. Takes effect in classes
    derived from :func:`enable_final`.
    """
    def mark(method: Callable[..., Any]) -> Callable[..., Any]:
        method.__final_action__ = action
        return method
    if args:
        if len(args) != 1 or not callable(args[0]):
            raise TypeError('final: expected to decorate one method, or keyword arguments only')
        return mark(args[0])
    return mark
