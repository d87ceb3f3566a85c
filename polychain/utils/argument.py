"""Checks of the keyword arguments of functions taking ``**kwargs`` (``utils.argument``)."""

from __future__ import annotations

import sys
from typing import Any


def check_unexpected_kwargs(kwargs: dict[str, Any], **unexpected: str) -> None:
    """Raises ``ValueError`` with the given message for each named argument present.

    Used for arguments a function no longer accepts, each with the message
    explaining what replaced it.

    Args:
        kwargs: The keyword arguments received.
        unexpected: For each argument name that must not appear, its message.
    """
    for name, message in unexpected.items():
        if name in kwargs:
            raise ValueError(message)


def parse_kwargs(kwargs: dict[str, Any], *name_and_values: tuple[str, Any],
                 **unexpected: str) -> tuple[Any, ...]:
    """The values of the keyword arguments ``name_and_values`` name, in their order.

    As in Chainer, the accepted arguments are taken out of ``kwargs``.

    Args:
        kwargs: The keyword arguments received.
        name_and_values: ``(name, default)`` pairs of the accepted arguments.
        unexpected: Messages of arguments no longer accepted, as in
            :func:`check_unexpected_kwargs`.

    Raises:
        ValueError: An argument of ``unexpected`` was given.
        TypeError: Any other argument was given; the message names the
            calling function, as Python's own error does.
    """
    values = tuple(kwargs.pop(name, default) for name, default in name_and_values)
    if kwargs:
        check_unexpected_kwargs(kwargs, **unexpected)
        caller = sys._getframe(1).f_code.co_name
        names = ', '.join(repr(name) for name in sorted(kwargs))
        raise TypeError(f'{caller}() got unexpected keyword argument(s) {names}')
    return values
