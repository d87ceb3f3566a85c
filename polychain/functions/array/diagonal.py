"""diagonal: a strided slice of the two flattened axes."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.get_item import get_item
from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.utils.axes import normalize_axis
from polychain.variable import Variable


def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Variable:
    """The diagonal of ``x`` over two axes (NumPy's ``diagonal``).

    The two axes are removed and the diagonal becomes the last axis.

    Args:
        x: Input variable or array of at least two dimensions.
        offset: Offset of the diagonal from the main one (positive: above it).
        axis1: The first axis of the 2-D sub-arrays.
        axis2: The second axis of the 2-D sub-arrays.
    """
    ndim = x.ndim
    if ndim < 2:
        raise ValueError(f'diagonal: expected an input of at least 2 dimensions, received shape '
                         f'{tuple(x.shape)}')
    axis1 = normalize_axis(axis1, ndim, 'diagonal', 'axis1')
    axis2 = normalize_axis(axis2, ndim, 'diagonal', 'axis2')
    if axis1 == axis2:
        raise ValueError(f'diagonal: expected two different axes, received axis1={axis1} and '
                         f'axis2={axis2}')
    rest = [a for a in range(ndim) if a not in (axis1, axis2)]
    shape = tuple(x.shape)
    rows, cols = shape[axis1], shape[axis2]
    first_row, first_col = max(-offset, 0), max(offset, 0)
    length = max(0, min(rows - first_row, cols - first_col))
    flat = reshape(transpose(x, rest + [axis1, axis2]),
                   tuple(shape[a] for a in rest) + (rows * cols,))
    start = first_row * cols + first_col
    step = cols + 1
    # The stop stays inside the axis: the Array API leaves larger stops unspecified.
    diagonal_slice = slice(start, start + step * (length - 1) + 1, step) if length \
        else slice(0, 0)
    return get_item(flat, (slice(None),) * len(rest) + (diagonal_slice,))
