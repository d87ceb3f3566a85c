"""as_strided: a new array from the storage under an array, by shape, strides and offset.

The storage of an array is what its backend says it is (the ``'array_storage'`` kernel):
on NumPy the memory the array views, so that ``as_strided`` of a view reaches the
elements of the array it was taken from, as in Chainer; elsewhere the array's own
elements in row-major order. Strides and offsets count elements, not bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.backend import get_device_from_array, kernels
from polychain.function_node import FunctionNode
from polychain.utils.dtypes import is_float
from polychain.variable import Variable

#: (shape, strides, storage offset) of an array over its storage, in elements.
Geometry = tuple[tuple[int, ...], tuple[int, ...], int]


def _storage(device: Any, x: Any) -> tuple[Any, Geometry]:
    """The storage under ``x`` (1-D) and the geometry of ``x`` over it."""
    kernel = device.kernel(kernels.array_storage)
    if kernel is not None:
        storage, strides, offset = kernel(x)
        return storage, (tuple(x.shape), tuple(strides), offset)
    strides, step = [], 1
    for n in reversed(tuple(x.shape)):
        strides.insert(0, step)
        step *= n
    return device.namespace.reshape(x, (-1,)), (tuple(x.shape), tuple(strides), 0)


def _check_bounds(geometry: Geometry, size: int) -> None:
    shape, strides, offset = geometry
    if 0 in shape:
        return
    low = offset + sum(min(0, (n - 1) * s) for n, s in zip(shape, strides))
    high = offset + sum(max(0, (n - 1) * s) for n, s in zip(shape, strides))
    if low < 0:
        raise ValueError(f'as_strided: out of buffer: shape {shape}, strides {strides} and '
                         f'offset {offset} reach index {low}, below 0')
    if high >= size:
        raise ValueError(f'as_strided: out of buffer: shape {shape}, strides {strides} and '
                         f'offset {offset} reach index {high}, beyond the {size} elements')


def _flat_index(device: Any, geometry: Geometry) -> Any:
    """The storage index of each element of ``geometry``, in row-major order (1-D)."""
    xp = device.namespace
    shape, strides, offset = geometry
    index = xp.full((), offset, dtype=xp.int64, device=device.native)
    for axis, (n, s) in enumerate(zip(shape, strides)):
        step = xp.arange(n, dtype=xp.int64, device=device.native) * s
        index = index + xp.reshape(step, (n,) + (1,) * (len(shape) - axis - 1))
    return xp.reshape(index, (-1,))


def _view(device: Any, storage: Any, geometry: Geometry) -> Any:
    """The elements of ``storage`` at ``geometry``: a view where the backend has one."""
    kernel = device.kernel(kernels.strided_view)
    if kernel is not None:
        return kernel(storage, *geometry)
    xp = device.namespace
    return xp.reshape(xp.take(storage, _flat_index(device, geometry)), geometry[0])


def _stride_array(array: Any, shape: Sequence[int], strides: Sequence[int],
                  storage_offset: int) -> Any:
    """The array of ``shape`` whose element ``i`` is the storage of ``array`` at
    ``storage_offset + sum(i * strides)``; ValueError when that leaves the storage."""
    device = get_device_from_array(array)
    storage, _ = _storage(device, array)
    geometry = (tuple(shape), tuple(strides), storage_offset)
    _check_bounds(geometry, storage.shape[0])
    return _view(device, storage, geometry)


class AsStrided(FunctionNode):
    """``as_strided``: the storage of the input seen through a new geometry.

    The gradient adds the output gradient up on the storage, divides each element by the
    number of input elements that share it, and reads the input's elements back.
    """

    def __init__(self, shape: Sequence[int], strides: Sequence[int],
                 storage_offset: int | None = None) -> None:
        self.shape = tuple(shape)
        self.strides = tuple(strides)
        self.storage_offset = storage_offset

    def forward(self, inputs):
        x, = inputs
        storage, self.input_geometry = _storage(self.device, x)
        if self.storage_offset is None:
            self.storage_offset = self.input_geometry[2]
        self._storage_size = storage.shape[0]
        geometry = (self.shape, self.strides, self.storage_offset)
        _check_bounds(geometry, self._storage_size)
        return _view(self.device, storage, geometry),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        if not is_float(self.xp, gy.dtype):
            raise TypeError(f'as_strided: only floating-point gradients flow back, received '
                            f'{gy.dtype}')
        device = self.device
        output = _flat_index(device, (self.shape, self.strides, self.storage_offset))
        inputs = _flat_index(device, self.input_geometry)
        return StridedTransfer(output, inputs, inputs, self._storage_size,
                               self.input_geometry[0]).apply((gy,))


class StridedTransfer(FunctionNode):
    """A linear map through a storage: adds the input up at ``scatter_index``, divides each
    element by how often ``count_index`` names it, and gathers ``gather_index``."""

    def __init__(self, scatter_index: Any, gather_index: Any, count_index: Any, size: int,
                 shape: tuple[int, ...]) -> None:
        self.scatter_index = scatter_index
        self.gather_index = gather_index
        self.count_index = count_index
        self.size = size
        self.shape = shape

    def forward(self, inputs):
        g, = inputs
        xp, device = self.xp, self.device
        self._in_shape = tuple(g.shape)
        zeros = xp.zeros((self.size,), dtype=g.dtype, device=device.native)
        summed = device.backend.scatter_add(zeros, self.scatter_index, xp.reshape(g, (-1,)))
        counts = device.backend.scatter_add(zeros, self.count_index,
                                            xp.ones(self.count_index.shape, dtype=g.dtype,
                                                    device=device.native))
        shared = summed / xp.where(counts > 0, counts, xp.ones_like(counts))
        return xp.reshape(xp.take(shared, self.gather_index), self.shape),

    def backward(self, indexes, grad_outputs):
        return StridedTransfer(self.gather_index, self.scatter_index, self.count_index,
                               self.size, self._in_shape).apply(grad_outputs)


def as_strided(x: Any, shape: Sequence[int], strides: Sequence[int],
               storage_offset: int | None = None) -> Variable:
    """A new array of ``shape`` over the storage of ``x``, as NumPy's ``as_strided``.

    Element ``i`` of the output is the storage element at
    ``storage_offset + sum(i * strides)``; strides and offsets count elements. Elements of
    the storage that several input elements share split their gradient evenly.

    Args:
        x: Input variable or array.
        shape: Shape of the output.
        strides: Stride of each output axis, in elements (negative ones read backwards).
        storage_offset: Storage index of the first output element; by default that of
            ``x``'s first element.

    Raises:
        ValueError: The geometry reaches outside the storage.
    """
    if len(shape) != len(strides):
        raise ValueError(f'as_strided: expected one stride per axis of shape {tuple(shape)}, '
                         f'received {tuple(strides)}')
    if any(n < 0 for n in shape):
        raise ValueError(f'as_strided: expected a shape of sizes >= 0, received {tuple(shape)}')
    return AsStrided(shape, strides, storage_offset).apply((x,))[0]
