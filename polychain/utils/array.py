"""Array helpers on shapes and broadcasting (Chainer's ``utils.array``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.backend import get_namespace

__all__ = ['size_of_shape', 'sum_to']


def size_of_shape(shape: Sequence[int]) -> int:
    """The number of elements of an array of ``shape`` (a Python ``int``).

    Args:
        shape (tuple of int): The shape.
    """
    size = 1
    for n in shape:
        size *= int(n)
    return size


def sum_to(x: Any, shape: Sequence[int], xp: Any = None) -> Any:
    """``x`` summed down to ``shape``, the shape it was broadcast from.

    The leading axes ``x`` has beyond ``shape`` are summed away, and so are
    its axes where ``shape`` has length 1.

    Args:
        x: An array of any backend.
        shape: A shape that broadcasts to ``x.shape``.
        xp: The Array API namespace of ``x``, when the caller holds it.
    """
    shape = tuple(shape)
    lead = x.ndim - len(shape)
    if lead < 0:
        raise ValueError(f'sum_to: cannot sum shape {tuple(x.shape)} to the longer shape {shape}')
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and x.shape[lead + i] != 1)
    if not axes:
        return x
    if xp is None:
        xp = get_namespace(x)
    y = xp.sum(x, axis=axes, keepdims=True)
    return xp.reshape(y, shape) if lead else y
