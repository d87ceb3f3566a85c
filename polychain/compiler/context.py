"""What code being compiled can ask of the compilation: checks deferred until after the step.

A check that needs a value on the host (are all labels in range?) cannot run
while a step is traced. Code that makes such a check asks :func:`defer_check`
first: while a compilation is traced, the check's condition becomes an output
of the compiled program and is examined after each call; otherwise the caller
checks eagerly as usual.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

_local = threading.local()


class DeferredCheck:
    """A check evaluated on the host after a compiled call.

    Attributes:
        failed: 0-d boolean array, true when the check failed.
        details: Arrays that :attr:`explain` receives on the host.
        explain: Builds the exception to raise from the host copies of ``details``.
    """

    __slots__ = ('failed', 'details', 'explain')

    def __init__(self, failed: Any, details: Sequence[Any],
                 explain: Callable[..., BaseException]) -> None:
        self.failed = failed
        self.details = tuple(details)
        self.explain = explain


class TraceContext:
    """The state of one compilation while it is traced.

    Attributes:
        device: The device compiled for.
        checks: The checks deferred so far.
        static_calls: The ``static_code`` calls made while tracing, as
            ``(function, args, kwargs)``: each later call of the program
            makes them again on the host.
    """

    def __init__(self, device: Any, static_code: bool = True) -> None:
        self.device = device
        self.checks: list[DeferredCheck] = []
        self.static_calls: list[tuple[Any, tuple, dict]] = []
        #: Whether ``static_code`` functions run (not while a forward pass is traced
        #: again to differentiate it).
        self.static_code = static_code


def current() -> TraceContext | None:
    """The compilation traced in this thread, or ``None``."""
    return getattr(_local, 'context', None)


@contextlib.contextmanager
def tracing(context: TraceContext) -> Iterator[TraceContext]:
    """Makes ``context`` the compilation traced in this thread for the block."""
    previous = current()
    _local.context = context
    try:
        yield context
    finally:
        _local.context = previous


def defer_check(failed: Any, details: Sequence[Any],
                explain: Callable[..., BaseException]) -> bool:
    """Defers a check to after the compiled call when a compilation is traced.

    Args:
        failed: 0-d boolean array, true when the check fails.
        details: Arrays the error message needs, passed to ``explain`` as host arrays.
        explain: ``explain(*host_details)`` returns the exception to raise.

    Returns:
        ``True`` when the check was deferred, ``False`` when the caller must
        check now (nothing is being compiled).
    """
    context = getattr(_local, 'context', None)
    if context is None:
        return False
    context.checks.append(DeferredCheck(failed, details, explain))
    return True
