"""batch_matmul and tensordot, built on matmul."""

from __future__ import annotations

import operator
import warnings
from collections.abc import Sequence
from typing import Any

from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.math.matmul import matmul
from polychain.variable import Variable


def batch_matmul(a: Any, b: Any, transa: bool = False, transb: bool = False) -> Variable:
    """Batched matrix products (deprecated in Chainer; use :func:`matmul`).

    Args:
        a: Left operands: ``(B, N)`` is read as ``B`` column vectors ``N x 1``,
            ``(B, M, N, ...)`` as ``B`` matrices ``M x (N * ...)``.
        b: Right operands, read like ``a``.
        transa: Transpose each matrix of ``a`` first.
        transb: Transpose each matrix of ``b`` first.
    """
    warnings.warn('batch_matmul is deprecated; use matmul instead', DeprecationWarning,
                  stacklevel=2)
    a = reshape(a, tuple(a.shape[:2]) + (-1,))
    b = reshape(b, tuple(b.shape[:2]) + (-1,))
    return matmul(a, b, transa, transb)


def _axis_list(axes: Any) -> list[int]:
    if hasattr(axes, '__index__'):
        return [operator.index(axes)]
    return [operator.index(x) for x in axes]


def _contracted_axes(axes: Any, a_ndim: int, b_ndim: int) -> tuple[list[int], list[int]]:
    if hasattr(axes, '__index__'):
        axes = operator.index(axes)
        if not 0 <= axes <= min(a_ndim, b_ndim):
            raise ValueError(f'tensordot: expected axes between 0 and {min(a_ndim, b_ndim)}, '
                             f'received {axes}')
        return list(range(a_ndim - axes, a_ndim)), list(range(axes))
    if not isinstance(axes, Sequence):
        raise TypeError(f'tensordot: expected axes as an int or a pair of axis lists, '
                        f'received {type(axes).__name__}: {axes!r}')
    if len(axes) != 2:
        raise ValueError(f'tensordot: expected axes as an int or a pair of axis lists, '
                         f'received {axes!r}')
    a_axes, b_axes = _axis_list(axes[0]), _axis_list(axes[1])
    if len(a_axes) != len(b_axes):
        raise ValueError(f'tensordot: expected as many axes of a as of b, received {axes!r}')
    return _normalised(a_axes, a_ndim, 'a'), _normalised(b_axes, b_ndim, 'b')


def _normalised(axes: list[int], ndim: int, name: str) -> list[int]:
    for x in axes:
        if not -ndim <= x < ndim:
            raise ValueError(f'tensordot: axis {x} is out of range for {name} of {ndim} '
                             f'dimensions')
    return [x % ndim for x in axes]


def tensordot(a: Any, b: Any, axes: Any = 2) -> Variable:
    """Sum of products of ``a`` and ``b`` over the given axes.

    Args:
        a: First input variable or array.
        b: Second input variable or array.
        axes: An int ``n`` (the last ``n`` axes of ``a`` with the first ``n``
            of ``b``) or a pair ``(axes_of_a, axes_of_b)``.

    Raises:
        ValueError: The axes do not fit, or their lengths differ between ``a`` and ``b``.
        TypeError: ``axes`` is neither an integer nor a pair.
    """
    a_axes, b_axes = _contracted_axes(axes, a.ndim, b.ndim)
    for i, j in zip(a_axes, b_axes):
        if a.shape[i] != b.shape[j]:
            raise ValueError(f'tensordot: axis {i} of a (length {a.shape[i]}) and axis {j} of '
                             f'b (length {b.shape[j]}) differ')
    a_free = [i for i in range(a.ndim) if i not in a_axes]
    b_free = [i for i in range(b.ndim) if i not in b_axes]
    k = 1
    for i in a_axes:
        k *= a.shape[i]
    a_shape = [a.shape[i] for i in a_free]
    b_shape = [b.shape[i] for i in b_free]
    a2 = reshape(transpose(a, tuple(a_free + a_axes)), (-1, k))
    b2 = reshape(transpose(b, tuple(b_axes + b_free)), (k, -1))
    return reshape(matmul(a2, b2), tuple(a_shape + b_shape))
