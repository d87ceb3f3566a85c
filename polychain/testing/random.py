"""``fix_random``: tests that draw from NumPy's global generator, made repeatable;
``generate_seed`` for generators a fixed test creates."""

from __future__ import annotations

import functools
import os
import random
from collections.abc import Callable
from typing import Any

import numpy

from polychain.testing.case_bundle import TestCaseBundle

#: Environment variable overriding the seed :func:`fix_random` uses (default 0).
SEED_ENVIRONMENT_VARIABLE = 'POLYCHAIN_TEST_RANDOM_SEED'


def _seed() -> int:
    return int(os.environ.get(SEED_ENVIRONMENT_VARIABLE, '0'))


#: How many fixed tests are running (nested uses reseed only at the outermost).
_nesting = [0]


def _fix() -> tuple[Any, Any] | None:
    """Seeds NumPy's and Python's global generators; returns their previous states."""
    _nesting[0] += 1
    if _nesting[0] > 1:
        return None
    saved = numpy.random.get_state(), random.getstate()
    numpy.random.seed(_seed())
    random.seed(_seed())
    return saved


def _restore(saved: tuple[Any, Any] | None) -> None:
    _nesting[0] -= 1
    if saved is not None:
        numpy.random.set_state(saved[0])
        random.setstate(saved[1])


def generate_seed() -> int:
    """A seed drawn from NumPy's global generator, for a test decorated with :func:`fix_random`.

    Seeding other generators (``numpy.random.RandomState(seed)``) with it
    keeps them repeatable too.

    Raises:
        RuntimeError: Called outside a test decorated with :func:`fix_random`.
    """
    if _nesting[0] == 0:
        raise RuntimeError('generate_seed: call it in a test decorated with '
                           'polychain.testing.fix_random()')
    return int(numpy.random.randint(0, 2 ** 32 - 1, dtype=numpy.int64))


def fix_random(setup_method: str = 'setUp', teardown_method: str = 'tearDown'
               ) -> Callable[[Any], Any]:
    """A decorator seeding NumPy's and Python's global random generators for a test.

    Applied to a test function, it seeds before the call and restores the
    previous states after it. Applied to a class, or to each class that
    :func:`parameterize` generated (a :class:`TestCaseBundle`), it seeds before
    ``setup_method`` and restores after ``teardown_method``, so ``setUp``'s
    draws are repeatable too. The seed is 0 unless the environment variable
    ``POLYCHAIN_TEST_RANDOM_SEED`` sets another.

    Args:
        setup_method: The class's set-up method (``'setup_method'`` for pytest classes).
        teardown_method: The class's tear-down method.
    """
    def decorate(target: Any) -> Any:
        if isinstance(target, TestCaseBundle):
            for cls in target:
                _fix_class(cls, setup_method, teardown_method)
            return target
        if isinstance(target, type):
            return _fix_class(target, setup_method, teardown_method)
        if callable(target):
            return _fix_function(target)
        raise TypeError(f'fix_random: expected a test class or function, received '
                        f'{type(target).__name__}: {target!r}')
    return decorate


def _fix_function(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def seeded_test(*args: Any, **kwargs: Any) -> Any:
        saved = _fix()
        try:
            return function(*args, **kwargs)
        finally:
            _restore(saved)
    return seeded_test


def _fix_class(cls: type, setup_method: str, teardown_method: str) -> type:
    setup = getattr(cls, setup_method, None)
    teardown = getattr(cls, teardown_method, None)

    def seeded_setup(self: Any, *args: Any, **kwargs: Any) -> None:
        self._polychain_random_states = _fix()
        if setup is not None:
            try:
                setup(self, *args, **kwargs)
            except BaseException:  # tear-down does not run after a failed set-up
                _restore(self._polychain_random_states)
                raise

    def restoring_teardown(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            if teardown is not None:
                teardown(self, *args, **kwargs)
        finally:
            _restore(self._polychain_random_states)

    setattr(cls, setup_method, seeded_setup)
    setattr(cls, teardown_method, restoring_teardown)
    return cls
