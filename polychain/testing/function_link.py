"""Chainer's ``chainer.testing.function_link``: the function and link test cases, and
a check of array layouts for tests of memory contiguity."""

from __future__ import annotations

from typing import Any

from polychain.testing.function_test_case import FunctionTestCase, FunctionTestError
from polychain.testing.link_initializers_test_case import (
    InitializerArgument,
    LinkInitializersTestCase,
)
from polychain.testing.link_test_case import LinkTestCase, LinkTestError
from polychain.variable import Variable

__all__ = ['FunctionTestCase', 'FunctionTestError', 'InitializerArgument',
           'LinkInitializersTestCase', 'LinkTestCase', 'LinkTestError', 'check_contiguousness']


def check_contiguousness(array: Any, expected_contiguous: str | None) -> None:
    """Asserts the layout of an array (or a Variable's array) that a test case passed.

    Arrays without strides (JAX's) and arrays of at most one element pass.

    Args:
        array: The array or Variable.
        expected_contiguous: ``None`` (neither C- nor F-contiguous) or ``'C'``
            (C-contiguous), as :attr:`FunctionTestCase.contiguous`.

    Raises:
        AssertionError: The layout differs.
        ValueError: ``expected_contiguous`` is neither ``None`` nor ``'C'``.
    """
    if isinstance(array, Variable):
        array = array.array
    if expected_contiguous not in (None, 'C'):
        raise ValueError(f"expected_contiguous must be None or 'C', received "
                         f'{expected_contiguous!r}')
    if not hasattr(array, 'flags') or array.size <= 1:
        return
    c_contiguous, f_contiguous = array.flags.c_contiguous, array.flags.f_contiguous
    if expected_contiguous == 'C':
        assert c_contiguous, f'expected a C-contiguous array, received strides {array.strides}'
    else:
        assert not (c_contiguous or f_contiguous), (
            f'expected a non-contiguous array, received a '
            f'{"C" if c_contiguous else "F"}-contiguous one')


#: Chainer's name of :func:`check_contiguousness`.
_check_contiguousness = check_contiguousness
