"""Readable type errors for :meth:`FunctionNode.check_type_forward`."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy


class InvalidType(Exception):
    """Raised when the inputs of a function have the wrong shape or dtype.

    Args:
        expect: What the function expected, e.g. ``'x.shape == y.shape'``.
        actual: What it received, e.g. ``'(2, 3) != (4,)'``.
        msg: An optional free-form explanation placed after both.
    """

    def __init__(self, expect: str, actual: str, msg: str | None = None) -> None:
        self.expect = expect
        self.actual = actual
        self.function_name: str | None = None
        self.msg = msg
        super().__init__(self._message())

    def _message(self) -> str:
        where = f'Invalid operation is performed in: {self.function_name or "?"} (Forward)\n\n'
        text = f'{where}Expect: {self.expect}\nActual: {self.actual}'
        return f'{text}\n{self.msg}' if self.msg else text

    def set_function(self, name: str) -> None:
        """Names the function whose check failed (done by ``FunctionNode.apply``)."""
        self.function_name = name
        self.args = (self._message(),)

    def __str__(self) -> str:
        return self._message()


class TypeInfo(NamedTuple):
    """Shape and dtype of one input, as seen by ``check_type_forward``."""

    shape: tuple[int, ...]
    dtype: Any

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        size = 1
        for n in self.shape:
            size *= n
        return size


def expect_count(in_types: tuple[TypeInfo, ...], counts: int | tuple[int, ...],
                 names: str = 'inputs') -> None:
    """Checks the number of inputs."""
    allowed = counts if isinstance(counts, tuple) else (counts,)
    if len(in_types) not in allowed:
        expected = ' or '.join(str(c) for c in allowed)
        raise InvalidType(f'{expected} {names}', f'{len(in_types)} {names}')


def expect_float(info: TypeInfo, name: str) -> None:
    """Checks that an input has a floating-point dtype."""
    if not _is_floating(info.dtype):
        raise InvalidType(f'{name}.dtype.kind == "f"', f'{name}.dtype == {info.dtype}')


def _is_floating(dtype: Any) -> bool:
    """Whether ``dtype`` (of any backend) is a real floating dtype."""
    for spelling in (dtype, str(dtype).rsplit('.', 1)[-1]):  # the second: array_api_strict
        try:
            return numpy.dtype(spelling).kind == 'f'
        except TypeError:
            continue
    return False


def expect_same_dtype(a: TypeInfo, b: TypeInfo, names: tuple[str, str]) -> None:
    """Checks that two inputs share a dtype."""
    if a.dtype != b.dtype:
        raise InvalidType(f'{names[0]}.dtype == {names[1]}.dtype', f'{a.dtype} != {b.dtype}')


def broadcast_shapes(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
    """The broadcast shape of ``a`` and ``b``, or ``None`` when they do not broadcast."""
    result = []
    for m, n in zip(reversed((1,) * (len(b) - len(a)) + tuple(a)),
                    reversed((1,) * (len(a) - len(b)) + tuple(b))):
        if m != n and m != 1 and n != 1:
            return None
        result.append(max(m, n) if m and n else 0)
    return tuple(reversed(result))


def expect_broadcastable(a: TypeInfo, b: TypeInfo, names: tuple[str, str] = ('x', 'y')) -> None:
    """Checks that two input shapes broadcast together."""
    if broadcast_shapes(a.shape, b.shape) is None:
        raise InvalidType(f'{names[0]}.shape and {names[1]}.shape broadcast together',
                          f'{names[0]}.shape == {a.shape}, {names[1]}.shape == {b.shape}')
