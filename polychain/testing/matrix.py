"""``generate_matrix``: random (batches of) matrices with given singular values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy


def _broadcast_to(array: Any, shape: Sequence[int]) -> numpy.ndarray:
    """``array`` broadcast to ``shape``; ``ValueError`` saying both when it does not fit."""
    array = numpy.asarray(array)
    try:
        return numpy.broadcast_to(array, tuple(shape))
    except ValueError:
        raise ValueError(f'cannot broadcast an array of shape {array.shape} to '
                         f'{tuple(shape)}') from None


def _random_orthonormal_columns(shape: tuple[int, ...], complex_: bool) -> numpy.ndarray:
    """Matrices of ``shape`` ``(..., rows, cols)`` whose columns are orthonormal."""
    a = numpy.random.standard_normal(shape)
    if complex_:
        a = a + 1j * numpy.random.standard_normal(shape)
    q, _ = numpy.linalg.qr(a)
    return q


def generate_matrix(shape: Sequence[int], dtype: Any = float, **kwargs: Any) -> numpy.ndarray:
    """A random matrix, or stack of matrices, with the given singular values.

    Draws from NumPy's global generator (see :func:`fix_random`).

    Args:
        shape: ``(..., m, n)``, at least two dimensions.
        dtype: A float or complex dtype.
        singular_values (keyword only, required): Non-negative real values,
            broadcastable to ``shape[:-2] + (min(m, n),)``.

    Returns:
        A ``numpy.ndarray`` of ``shape`` and ``dtype``.

    Raises:
        TypeError: ``singular_values`` is missing or not real, ``dtype`` is
            neither float nor complex, or an unknown keyword is given.
        ValueError: ``shape`` has fewer than two dimensions, or the singular
            values are negative or do not broadcast.
    """
    if 'singular_values' not in kwargs:
        raise TypeError('generate_matrix: singular_values is required')
    singular_values = kwargs.pop('singular_values')
    if kwargs:
        raise TypeError(f'generate_matrix: unexpected keyword argument(s) {sorted(kwargs)}')
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(f'generate_matrix: shape needs at least 2 dimensions, received {shape}')
    dtype = numpy.dtype(dtype)
    if dtype.kind not in 'fc':
        raise TypeError(f'generate_matrix: dtype must be float or complex, received {dtype}')
    singular_values = numpy.asarray(singular_values)
    if singular_values.dtype.kind not in 'biuf':
        raise TypeError(f'generate_matrix: singular_values must be real, received '
                        f'{singular_values.dtype}')
    if (singular_values < 0).any():
        raise ValueError('generate_matrix: singular_values must be non-negative')
    *batch, m, n = shape
    k = min(m, n)
    singular_values = _broadcast_to(singular_values, (*batch, k))
    if 0 in shape:
        return numpy.zeros(shape, dtype)
    complex_ = dtype.kind == 'c'
    u = _random_orthonormal_columns((*batch, m, k), complex_)
    v = _random_orthonormal_columns((*batch, n, k), complex_)
    x = (u * singular_values[..., None, :]) @ numpy.conj(numpy.swapaxes(v, -1, -2))
    return x.astype(dtype, copy=False)
