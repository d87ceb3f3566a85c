"""Chainer's ``force_array`` and ``force_type``: scalars and dtypes as functions need them."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.backend import get_namespace
from polychain.utils.dtypes import namespace_dtype

_PYTHON_SCALARS = (bool, int, float, complex)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (numpy.generic, *_PYTHON_SCALARS))


def force_array(x: Any, dtype: Any = None) -> Any:
    """Turns scalars into 0-d arrays and optionally casts.

    NumPy returns scalars (``numpy.float32(1.0)``) where a 0-d array is meant;
    a function's forward must return arrays, so this wraps them.

    Args:
        x: A scalar or an array of any backend.
        dtype: The dtype of the result; ``None`` keeps that of ``x``.

    Returns:
        A ``numpy.ndarray`` for scalars; otherwise ``x`` itself, cast to
        ``dtype`` (without a copy when it already has it).
    """
    if _is_scalar(x):
        return numpy.asarray(x, dtype)
    if dtype is None:
        return x
    xp = get_namespace(x)
    return xp.astype(x, namespace_dtype(xp, dtype), copy=False)


def force_type(dtype: Any, value: Any) -> Any:
    """``value`` converted to ``dtype``: scalars to a NumPy scalar, arrays by ``astype``.

    Args:
        dtype: The wanted dtype (a NumPy dtype, type or name).
        value: A scalar or an array of any backend.
    """
    if _is_scalar(value):
        return numpy.dtype(dtype).type(value)
    xp = get_namespace(value)
    dtype = namespace_dtype(xp, dtype)
    if value.dtype == dtype:
        return value
    return xp.astype(value, dtype, copy=False)
