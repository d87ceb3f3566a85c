"""Small test helpers: ``run_module``, ``with_requires``, ``without_requires``,
``assert_warns`` and ``patch``."""

from __future__ import annotations

import contextlib
import importlib
import sys
import unittest
import warnings
from collections.abc import Callable, Iterator
from importlib import metadata
from typing import Any
from unittest import mock

from packaging.requirements import InvalidRequirement, Requirement


def run_module(name: str, file: str) -> None:
    """Runs the tests of ``file`` with pytest when the module runs as a script.

    Test modules end with ``testing.run_module(__name__, __file__)`` so that
    ``python test_foo.py [pytest options]`` runs them.

    Args:
        name: The module's ``__name__``; nothing happens unless it is ``'__main__'``.
        file: The module's ``__file__``.
    """
    if name == '__main__':
        import pytest
        sys.exit(pytest.main([file, '-v', *sys.argv[1:]]))


def _satisfied(requirement: str) -> bool:
    """Whether an installed distribution satisfies ``requirement`` (e.g. ``'numpy>=1.17'``)."""
    try:
        parsed = Requirement(requirement)
    except InvalidRequirement as error:
        raise ValueError(f'invalid requirement {requirement!r}: {error}') from None
    try:
        version = metadata.version(parsed.name)
    except metadata.PackageNotFoundError:
        return False
    return parsed.specifier.contains(version, prereleases=True)


def with_requires(*requirements: str) -> Callable[[Any], Any]:
    """Skips a test (function or class) unless every requirement is installed.

    Args:
        requirements: Requirement specifiers such as ``'scipy'`` or ``'numpy>=1.17'``.
    """
    missing = [r for r in requirements if not _satisfied(r)]
    return unittest.skipIf(bool(missing), f'requires: {",".join(requirements)}')


def without_requires(*requirements: str) -> Callable[[Any], Any]:
    """Skips a test (function or class) when all the requirements are installed.

    Args:
        requirements: Requirement specifiers such as ``'scipy'`` or ``'numpy<1.14'``.
    """
    satisfied = all(_satisfied(r) for r in requirements)
    return unittest.skipIf(satisfied, f'requires absence of: {",".join(requirements)}')


@contextlib.contextmanager
def assert_warns(expected: type[Warning]) -> Iterator[None]:
    """Asserts that the block issues a warning of class ``expected`` (or a subclass).

    Raises:
        AssertionError: No such warning was issued.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        yield
    if not any(isinstance(w.message, expected) for w in caught):
        raise AssertionError(f'{getattr(expected, "__name__", expected)} not triggered')


def _import_object(name: str) -> Any:
    """The object named by a dotted path such as ``'polychain.functions.relu'``."""
    parts = name.split('.')
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module('.'.join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            obj = getattr(obj, attribute)
        return obj
    raise ImportError(f'cannot import {name!r}')


def patch(target: str, *args: Any, **kwargs: Any) -> Any:
    """``unittest.mock.patch`` whose mock wraps the patched object unless ``wraps`` is given.

    Calls go through to the original while the mock records them.

    Args:
        target: The dotted name of the object to patch.
        args, kwargs: Passed on to ``unittest.mock.patch``.
    """
    if 'wraps' not in kwargs:
        kwargs['wraps'] = _import_object(target)
    return mock.patch(target, *args, **kwargs)
