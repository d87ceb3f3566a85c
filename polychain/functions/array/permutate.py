"""permutate: reorders elements along an axis by a permutation."""

from __future__ import annotations

from typing import Any

from polychain.backend import get_device_from_array
from polychain.functions.array._axes import normalize_axis
from polychain.functions.array.get_item import get_item
from polychain.variable import Variable


def permutate(x: Any, indices: Any, axis: int = 0, inv: bool = False) -> Variable:
    """Permutes ``x`` along ``axis``: ``y[i] = x[indices[i]]``.

    Args:
        x: Input variable or array.
        indices: A 1-D integer array (or Variable) holding a permutation of
            ``range(x.shape[axis])``.
        axis: The axis to permute.
        inv: Apply the inverse permutation: ``y[indices[i]] = x[i]``.
    """
    axis = normalize_axis(axis, x.ndim, 'permutate')
    if isinstance(indices, Variable):
        indices = indices.array
    if indices.ndim != 1 or indices.shape[0] != x.shape[axis]:
        raise ValueError(f'permutate: expected indices of shape ({x.shape[axis]},) for axis '
                         f'{axis} of an input of shape {tuple(x.shape)}, received shape '
                         f'{tuple(indices.shape)}')
    if inv:
        indices = get_device_from_array(indices).namespace.argsort(indices)
    return get_item(x, (slice(None),) * axis + (indices,))
