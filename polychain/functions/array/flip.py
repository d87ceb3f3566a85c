"""flip, fliplr and flipud: reversed views through get_item."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.get_item import get_item
from polychain.utils.axes import normalize_axis
from polychain.variable import Variable

_REVERSED = slice(None, None, -1)


def _flip(array: Any, axis: int) -> Any:
    """``array`` (an array, not a Variable) reversed along ``axis``, as ``numpy.flip``."""
    axis = normalize_axis(axis, array.ndim, 'flip')
    return array[(slice(None),) * axis + (_REVERSED,)]


def flip(x: Any, axis: int) -> Variable:
    """Reverses the order of the elements along ``axis``.

    Args:
        x: Input variable or array.
        axis: The axis to reverse.
    """
    axis = normalize_axis(axis, x.ndim, 'flip')
    return get_item(x, (slice(None),) * axis + (_REVERSED,))


def fliplr(a: Any) -> Variable:
    """Reverses the columns (axis 1) of an array of at least two dimensions.

    Args:
        a: Input variable or array.
    """
    if a.ndim < 2:
        raise ValueError(f'fliplr: expected an input of at least 2 dimensions, received shape '
                         f'{tuple(a.shape)}')
    return get_item(a, (slice(None), _REVERSED))


def flipud(a: Any) -> Variable:
    """Reverses the rows (axis 0) of an array of at least one dimension.

    Args:
        a: Input variable or array.
    """
    if a.ndim < 1:
        raise ValueError('flipud: expected an input of at least 1 dimension, received a '
                         '0-dimensional one')
    return get_item(a, (_REVERSED,))
