"""tile and repeat: copies of elements, built from reshapes, broadcasts and gathers."""

from __future__ import annotations

import operator
from typing import Any

import numpy

from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.get_item import get_item
from polychain.functions.array.reshape import reshape
from polychain.utils.axes import normalize_axis
from polychain.variable import Variable


def _counts(value: Any, function: str, argument: str) -> tuple[int, ...]:
    """An int or a sequence of ints (bools count as 0 and 1) as a tuple of counts."""
    counts = (value,) if hasattr(value, '__index__') else value
    if not isinstance(counts, (tuple, list)) or \
            not all(hasattr(n, '__index__') for n in counts):
        raise TypeError(f'{function}: expected an int or a sequence of ints as {argument}, '
                        f'received {type(value).__name__}: {value!r}')
    counts = tuple(operator.index(n) for n in counts)
    if any(n < 0 for n in counts):
        raise ValueError(f'{function}: expected non-negative integers as {argument}, received '
                         f'{value!r}')
    return counts


def tile(x: Any, reps: Any) -> Variable:
    """Repeats the whole of ``x`` ``reps`` times along each axis (NumPy's ``tile``).

    Args:
        x: Input variable or array.
        reps: An int or a tuple of ints; shorter than ``x.ndim`` it is padded
            with leading ones, longer it adds leading axes to ``x``.
    """
    if not hasattr(x, 'shape'):
        raise TypeError(f'tile: expected a variable or an array as x, received '
                        f'{type(x).__name__}')
    reps = _counts(reps, 'tile', 'reps')
    shape = tuple(x.shape)
    ndim = max(len(shape), len(reps))
    shape = (1,) * (ndim - len(shape)) + shape
    reps = (1,) * (ndim - len(reps)) + reps
    interleaved = tuple(n for pair in zip((1,) * ndim, shape) for n in pair)
    tiled = tuple(n for pair in zip(reps, shape) for n in pair)
    y = broadcast_to(reshape(x, interleaved), tiled)
    return reshape(y, tuple(r * n for r, n in zip(reps, shape)))


def repeat(x: Any, repeats: Any, axis: int | None = None) -> Variable:
    """Repeats each element of ``x`` (NumPy's ``repeat``).

    Args:
        x: Input variable or array.
        repeats: An int, or one int per element along ``axis``.
        axis: The axis along which elements are repeated; ``None`` flattens
            ``x`` first.
    """
    repeats = _counts(repeats, 'repeat', 'repeats')
    if axis is None:
        x = reshape(x, (-1,))
        axis = 0
    else:
        axis = normalize_axis(axis, x.ndim, 'repeat')
    size = x.shape[axis]
    if len(repeats) not in (1, size):
        raise ValueError(f'repeat: expected 1 or {size} counts as repeats for an axis of '
                         f'length {size}, received {len(repeats)}')
    indices = numpy.repeat(numpy.arange(size, dtype=numpy.int64), repeats)
    return get_item(x, (slice(None),) * axis + (indices,))
