"""Decorators running a flaky test method several times: ``repeat``, ``retry`` and
``repeat_with_success_at_least``."""

from __future__ import annotations

import functools
import traceback
import unittest
from collections.abc import Callable
from typing import Any

import pytest


def _fresh_instance(instance: Any) -> Any:
    """A new instance of the test class, set up, for one more trial."""
    cls = type(instance)
    if isinstance(instance, unittest.TestCase):
        fresh = cls(instance._testMethodName)
        fresh.setUp()
    else:
        fresh = cls()
        setup = getattr(fresh, 'setup_method', None)
        if setup is not None:
            setup(None)
    return fresh


def _tear_down(instance: Any) -> None:
    if isinstance(instance, unittest.TestCase):
        instance.tearDown()
    else:
        teardown = getattr(instance, 'teardown_method', None)
        if teardown is not None:
            teardown(None)


def _trial(method: Callable[..., Any], instance: Any, args: tuple[Any, ...],
           kwargs: dict[str, Any]) -> str | None:
    """Runs one trial on a fresh instance; the formatted error, or None on success."""
    try:
        fresh = _fresh_instance(instance)
        try:
            method(fresh, *args, **kwargs)
        finally:
            _tear_down(fresh)
    except unittest.SkipTest:
        raise
    except pytest.skip.Exception as skip:
        raise unittest.SkipTest(skip.msg) from None
    except Exception:
        return traceback.format_exc()
    return None


def repeat_with_success_at_least(times: int, min_success: int) -> Callable[[Any], Any]:
    """Runs a test method up to ``times`` times; it passes once ``min_success`` trials pass.

    Each trial runs on a new instance of the test class, with its set-up and
    tear-down. It stops as soon as the outcome is decided; a skip in any
    trial skips the test.

    Args:
        times: The most trials.
        min_success: The passing trials needed.

    Raises:
        AssertionError: ``min_success`` exceeds ``times`` (when decorating),
            or too few trials passed (when running; the message has the first
            error).
    """
    assert times >= min_success, (f'repeat_with_success_at_least: min_success '
                                  f'({min_success}) exceeds times ({times})')

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def repeated_test(self: Any, *args: Any, **kwargs: Any) -> None:
            successes, errors = 0, []
            for _ in range(times):
                if successes >= min_success or len(errors) > times - min_success:
                    break
                error = _trial(method, self, args, kwargs)
                if error is None:
                    successes += 1
                else:
                    errors.append(error)
            if successes < min_success:
                raise AssertionError(f'\nFail: {len(errors)}, Success: {successes}\n\n'
                                     f'The first error message:\n{errors[0]}')
        return repeated_test
    return decorate


def repeat(times: int) -> Callable[[Any], Any]:
    """Runs a test method ``times`` times; every trial must pass."""
    return repeat_with_success_at_least(times, times)


def retry(times: int) -> Callable[[Any], Any]:
    """Runs a test method up to ``times`` times until one trial passes."""
    return repeat_with_success_at_least(times, 1)
