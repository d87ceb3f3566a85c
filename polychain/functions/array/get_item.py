"""get_item: indexing with slices, integers, None, Ellipsis, integer arrays and boolean masks."""

from __future__ import annotations

from typing import Any

import numpy
from array_api_compat import device as native_device

from polychain.backend.registry import get_device_from_array
from polychain.function_node import FunctionNode
from polychain.functions.array._index_range import check_index_range
from polychain.variable import Variable


def _plain_index(index: Any) -> Any:
    """Replaces Variables inside an index expression by their arrays."""
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if isinstance(index, Variable):
        return index.array
    return index


def _standard_index(index: Any, x: Any, xp: Any) -> tuple[Any, ...]:
    """``index`` in the form the Array API standard specifies, keeping NumPy's meaning.

    Lists become arrays on the device of ``x``, and an index of integers and
    slices that covers fewer axes than ``x`` has (``x[0]`` of a matrix) gets
    the trailing Ellipsis that NumPy implies.
    """
    parts = index if isinstance(index, tuple) else (index,)
    if sum(p is Ellipsis for p in parts) > 1:
        raise ValueError(f'get_item: expected at most one Ellipsis in the index, received '
                         f'{index!r}')
    if any(isinstance(p, list) for p in parts):
        parts = tuple(_list_index(p, x, xp) if isinstance(p, list) else p for p in parts)
    if all(p is None or isinstance(p, (int, slice)) for p in parts) and \
            sum(p is not None for p in parts) < x.ndim:
        parts += (Ellipsis,)
    return parts


def _list_index(part: list[Any], x: Any, xp: Any) -> Any:
    """A list in an index as an array on the device of ``x``; an empty one indexes (NumPy)."""
    host = numpy.asarray(part)
    if host.size == 0:
        host = host.astype(numpy.intp)
    return xp.asarray(host, device=native_device(x))


def _take_axis(parts: tuple[Any, ...], x: Any, xp: Any) -> tuple[int, Any] | None:
    """``(axis, indices)`` when ``parts`` selects one 1-D integer array along one axis.

    Such an index (``x[idx]``, ``x[:, idx]``) is the standard's ``take``, which
    every backend supports even where array indexing is restricted.
    """
    arrays = [i for i, p in enumerate(parts) if hasattr(p, 'dtype')]
    if len(arrays) != 1:
        return None
    axis = arrays[0]
    indices = parts[axis]
    full = slice(None)
    if indices.ndim != 1 or axis >= x.ndim or \
            not get_device_from_array(indices).namespace.isdtype(indices.dtype, 'integral'):
        return None
    if any(not isinstance(p, slice) or p != full for p in parts[:axis]):
        return None
    if any(p is not Ellipsis and (not isinstance(p, slice) or p != full)
           for p in parts[axis + 1:]):
        return None
    return axis, indices


def _axes_consumed(part: Any) -> int:
    """How many axes of the input one part of an index expression walks through."""
    if part is None:
        return 0
    dtype = getattr(part, 'dtype', None)
    if dtype is not None and get_device_from_array(part).namespace.isdtype(dtype, 'bool'):
        return part.ndim
    return 1


def _check_integer_bounds(parts: tuple[Any, ...], shape: tuple[int, ...]) -> None:
    """Raises IndexError for an integer or an integer array index outside its axis (some
    backends clamp or fill silently)."""
    consumed = [0 if p is Ellipsis else _axes_consumed(p) for p in parts]
    if sum(consumed) > len(shape):
        raise IndexError(f'get_item: too many indices for an input of shape {shape}: '
                         f'received {parts}')
    axis = 0
    for position, part in enumerate(parts):
        if part is Ellipsis:
            axis = len(shape) - sum(consumed[position + 1:])
            continue
        if isinstance(part, int) and not isinstance(part, bool):
            size = shape[axis]
            if not -size <= part < size:
                raise IndexError(f'get_item: index {part} is out of bounds for axis {axis} '
                                 f'with size {size} (input shape {shape})')
        elif hasattr(part, 'dtype'):
            xp = get_device_from_array(part).namespace
            if xp.isdtype(part.dtype, 'integral'):
                check_index_range(xp, part, shape[axis], 'get_item', f'indexes of axis {axis} '
                                  f'(input shape {shape})', negative=True)
        axis += consumed[position]


class GetItem(FunctionNode):
    """``x[index]``."""

    def __init__(self, index: Any) -> None:
        self.index = index

    def forward(self, inputs):
        x, = inputs
        self._in_shape = tuple(x.shape)
        self._dtype = x.dtype
        self.index = _standard_index(self.index, x, self.xp)
        if any(isinstance(p, int) or hasattr(p, 'dtype') for p in self.index):
            _check_integer_bounds(self.index, self._in_shape)
        take = _take_axis(self.index, x, self.xp)
        if take is not None:
            axis, indices = take
            return self.xp.take(x, self.device.send(indices), axis=axis),
        return x[self.index],

    def backward(self, indexes, grad_outputs):
        return GetItemGrad(self.index, self._in_shape).apply((grad_outputs[0],))


class GetItemGrad(FunctionNode):
    """Scatters a gradient back into zeros of the input's shape (repeated indices add up)."""

    def __init__(self, index: Any, in_shape: tuple[int, ...]) -> None:
        self.index = index
        self.in_shape = in_shape

    def forward(self, inputs):
        gy, = inputs
        zeros = self.xp.zeros(self.in_shape, dtype=gy.dtype, device=native_device(gy))
        return self.device.backend.scatter_add(zeros, self.index, gy),

    def backward(self, indexes, grad_outputs):
        return get_item(grad_outputs[0], self.index),


def get_item(x: Any, index: Any) -> Variable:
    """``x[index]`` with NumPy's indexing rules.

    Args:
        x: Input variable or array.
        index: Slices, integers, ``None``, ``Ellipsis``, integer arrays or a
            boolean mask, or a tuple of them.
    """
    return GetItem(_plain_index(index)).apply((x,))[0]
