"""permutate: reorders elements along an axis by a permutation."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.backend import get_device_from_array, to_host
from polychain.configuration import config
from polychain.functions.array.get_item import get_item
from polychain.utils.axes import normalize_axis
from polychain.variable import Variable


def permutate(x: Any, indices: Any, axis: int = 0, inv: bool = False) -> Variable:
    """Permutes ``x`` along ``axis``: ``y[i] = x[indices[i]]``.

    Args:
        x: Input variable or array.
        indices: A 1-D integer array (or Variable) holding a permutation of
            ``range(x.shape[axis])``.
        axis: The axis to permute.
        inv: Apply the inverse permutation: ``y[indices[i]] = x[i]``.

    Raises:
        ValueError: In debug mode, ``indices`` is not a permutation.
    """
    axis = normalize_axis(axis, x.ndim, 'permutate')
    if isinstance(indices, Variable):
        indices = indices.array
    if indices.ndim != 1 or indices.shape[0] != x.shape[axis]:
        raise ValueError(f'permutate: expected indices of shape ({x.shape[axis]},) for axis '
                         f'{axis} of an input of shape {tuple(x.shape)}, received shape '
                         f'{tuple(indices.shape)}')
    if config.debug:
        _check_permutation(indices, 'permutate')
    if inv:
        indices = get_device_from_array(indices).namespace.argsort(indices)
    return get_item(x, (slice(None),) * axis + (indices,))


def _check_permutation(indices: Any, function: str) -> None:
    """Raises ValueError unless ``indices`` holds each of ``0 .. n - 1`` once (debug mode)."""
    host = numpy.sort(to_host(indices))
    if not numpy.array_equal(host, numpy.arange(len(host))):
        raise ValueError(f'{function}: expected a permutation of range({len(host)}) as '
                         f'indices, received {to_host(indices).tolist()}')
