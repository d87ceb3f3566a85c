"""Input checks shared by the losses and the evaluation functions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.utils.type_check import InvalidType, TypeInfo, expect_float


def expect_integer(xp: Any, info: TypeInfo, name: str) -> None:
    """Raises InvalidType unless input ``name`` has an integer dtype."""
    if not xp.isdtype(info.dtype, 'integral'):
        raise InvalidType(f'{name}.dtype is an integer dtype', f'{name}.dtype == {info.dtype}')


def expect_same_floats(xp: Any, in_types: Sequence[TypeInfo], names: Sequence[str]) -> None:
    """Raises InvalidType unless the inputs are floating arrays of one dtype and one shape."""
    for info, name in zip(in_types, names):
        expect_float(xp, info, name)
    first, first_name = in_types[0], names[0]
    for info, name in zip(in_types[1:], names[1:]):
        if info.dtype != first.dtype:
            raise InvalidType(f'{first_name}.dtype == {name}.dtype',
                              f'{first_name}.dtype == {first.dtype}, {name}.dtype == '
                              f'{info.dtype}')
        if info.shape != first.shape:
            raise InvalidType(f'{first_name}.shape == {name}.shape',
                              f'{first_name}.shape == {first.shape}, {name}.shape == '
                              f'{info.shape}')


def expect_labels(xp: Any, x: TypeInfo, t: TypeInfo, x_name: str = 'x',
                  t_name: str = 't') -> None:
    """Raises InvalidType unless ``t`` holds integer labels for the class axis 1 of ``x``.

    ``x`` has the shape ``(N, C, d1, ...)`` and ``t`` must have ``(N, d1, ...)``.
    """
    expect_float(xp, x, x_name)
    expect_integer(xp, t, t_name)
    if x.ndim < 2 or t.shape != x.shape[:1] + x.shape[2:]:
        raise InvalidType(f'{t_name}.shape == {x_name}.shape[:1] + {x_name}.shape[2:] '
                          f'({x_name} has its classes on axis 1)',
                          f'{x_name}.shape == {x.shape}, {t_name}.shape == {t.shape}')


def check_reduce(function: str, reduce: str, allowed: tuple[str, ...] = ('mean', 'no')) -> None:
    """Raises ValueError unless ``reduce`` is one of ``allowed``."""
    if reduce not in allowed:
        expected = ' or '.join(repr(a) for a in allowed)
        raise ValueError(f'{function}: expected reduce {expected}, received {reduce!r}')


def check_same_shapes(function: str, names: Sequence[str], *xs: Any) -> None:
    """Raises InvalidType (naming ``function``) unless ``xs`` share one shape and one dtype.

    For losses composed of other functions, which would otherwise broadcast silently.
    """
    first, first_name = xs[0], names[0]
    for x, name in zip(xs[1:], names[1:]):
        if tuple(x.shape) != tuple(first.shape) or x.dtype != first.dtype:
            error = InvalidType(f'{first_name}.shape == {name}.shape and {first_name}.dtype == '
                                f'{name}.dtype',
                                f'{first_name}: {tuple(first.shape)} {first.dtype}, {name}: '
                                f'{tuple(x.shape)} {x.dtype}')
            error.set_function(function)
            raise error
