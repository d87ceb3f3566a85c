"""Arrays of any backend as MPI host buffers, and back onto their devices.

mpi4py reads and writes host memory: these helpers are the one place where an
array of another backend becomes a contiguous ``numpy.ndarray`` and back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

import polychain
from polychain import backend
from polychain.utils.dtypes import host_dtype

#: Dtypes MPI reduces natively; others (float16, bool) are reduced in a wider type.
_REDUCE_DTYPES = {numpy.dtype(t) for t in (
    'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64',
    'float32', 'float64', 'complex64', 'complex128')}


def array_to_buffer_object(array: Any) -> numpy.ndarray:
    """A C-contiguous host copy (or view) of ``array`` that mpi4py can read."""
    return numpy.ascontiguousarray(backend.to_host(array))


def dtype_of(array: Any) -> numpy.dtype:
    """The NumPy dtype of an array of any backend."""
    return host_dtype(backend.get_namespace(array), array.dtype)


def describe(array: Any) -> tuple[tuple[int, ...], str, str]:
    """What a receiver needs to rebuild ``array``: shape, dtype and backend name."""
    return (tuple(array.shape), dtype_of(array).str,
            backend.get_device_from_array(array).backend.name)


def host_bytes(array: Any) -> numpy.ndarray:
    """The bytes of ``array`` as a flat, contiguous ``uint8`` host array."""
    return array_to_buffer_object(array).reshape(-1).view(numpy.uint8)


def host_from_bytes(buffer: numpy.ndarray,
                    description: tuple[tuple[int, ...], str, str]) -> numpy.ndarray:
    """A new (aligned) host array of the shape and dtype ``describe`` gave, from its bytes."""
    shape, dtype, _ = description
    host = numpy.empty(shape, dtype=dtype)
    host.reshape(-1).view(numpy.uint8)[...] = buffer
    return host


def from_bytes(buffer: numpy.ndarray, description: tuple[tuple[int, ...], str, str]) -> Any:
    """The array ``describe`` described, rebuilt from its bytes, on its backend's device."""
    return place(host_from_bytes(buffer, description), description[2])


def place(host: numpy.ndarray, backend_name: str) -> Any:
    """``host`` on the current device of the backend ``backend_name``."""
    if backend_name == 'numpy':
        return host
    return polychain.get_device('@' + backend_name).send(host)


def split_bytes(buffer: numpy.ndarray, descriptions: Sequence[Any],
                convert: Any = from_bytes) -> tuple[Any, ...]:
    """Cuts a buffer of consecutive arrays' bytes into those arrays (``convert`` makes each)."""
    out = []
    offset = 0
    for description in descriptions:
        nbytes = nbytes_of(description)
        out.append(convert(buffer[offset:offset + nbytes], description))
        offset += nbytes
    return tuple(out)


def nbytes_of(description: tuple[tuple[int, ...], str, str]) -> int:
    """The size in bytes of the array ``describe`` described."""
    shape, dtype, _ = description
    return int(numpy.prod(shape, dtype=numpy.int64)) * numpy.dtype(dtype).itemsize


def reduce_dtype(array: Any) -> numpy.dtype:
    """The dtype an allreduce of ``array`` runs in: its own, or float32 for float16."""
    dtype = dtype_of(array)
    if dtype in _REDUCE_DTYPES:
        return dtype
    if dtype.kind == 'f':
        return numpy.dtype('float32')
    return numpy.dtype('int64')


def pack(arrays: Sequence[Any], like: Sequence[Any], dtype: Any) -> numpy.ndarray:
    """One new flat host buffer of ``dtype`` holding ``arrays`` one after another.

    An array that is ``None`` counts as zeros of the shape of its ``like``.
    """
    sizes = [int(numpy.prod(a.shape, dtype=numpy.int64)) for a in like]
    buffer = numpy.empty(sum(sizes), dtype=dtype)
    offset = 0
    for array, size in zip(arrays, sizes):
        part = buffer[offset:offset + size]
        if array is None:
            part[...] = 0
        else:
            part[...] = backend.to_host(array).reshape(-1)
        offset += size
    return buffer


def unpack(buffer: numpy.ndarray, like: Sequence[Any]) -> list[Any]:
    """New arrays cut from ``buffer``, shaped, typed and placed as those of ``like``."""
    out = []
    offset = 0
    for array in like:
        size = int(numpy.prod(array.shape, dtype=numpy.int64))
        host = buffer[offset:offset + size].reshape(array.shape).astype(dtype_of(array), copy=True)
        out.append(backend.get_device_from_array(array).send(host))
        offset += size
    return out
