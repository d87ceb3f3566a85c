"""Pooling windows: their geometry, the patches they read and the adjoint that spreads back.

Windows are described by the geometry of :mod:`polychain.functions.array.im2col`
(any number of spatial axes); patches come from the backends' ``'im2col_nd'``
kernel where one exists, otherwise from one strided slice per window offset.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from polychain.backend import get_namespace
from polychain.functions.array._padding import pad_constant
from polychain.functions.array.im2col import _Geometry, _padded
from polychain.utils.type_check import InvalidType, expect_float


def as_tuple(value: Any, ndim: int, function: str, argument: str) -> tuple[int, ...]:
    """``value`` (an int or ``ndim`` ints) as a tuple of ``ndim`` ints."""
    result = (value,) * ndim if isinstance(value, int) else tuple(value)
    if len(result) != ndim or any(isinstance(v, bool) or not isinstance(v, int)
                                  for v in result):
        raise ValueError(f'{function}: expected an int or {ndim} ints as {argument}, received '
                         f'{value!r}')
    return result


def window_geometry(function: str, in_size: tuple[int, ...], ksize: Any, stride: Any, pad: Any,
                    cover_all: bool) -> _Geometry:
    """The windows of a pooling over spatial shape ``in_size``; ``stride=None`` means ksize."""
    ndim = len(in_size)
    ksize = as_tuple(ksize, ndim, function, 'ksize')
    stride = ksize if stride is None else as_tuple(stride, ndim, function, 'stride')
    pad = as_tuple(pad, ndim, function, 'pad')
    if min(ksize + stride) < 1 or min(pad) < 0:
        raise ValueError(f'{function}: expected positive ksize and stride and a non-negative '
                         f'pad, received ksize={ksize}, stride={stride}, pad={pad}')
    try:
        return _Geometry(in_size, ksize, stride, pad, bool(cover_all), (1,) * ndim)
    except ValueError:
        raise ValueError(f'{function}: expected windows of size {ksize} to fit the input of '
                         f'spatial shape {in_size} padded by {pad}') from None


def check_spatial_input(function: str, x: Any, ndim: int | None) -> int:
    """The number of spatial axes of ``x`` (N, C, *spatial), checked against ``ndim``."""
    spatial = x.ndim - 2
    if spatial < 1 or (ndim is not None and spatial != ndim):
        expected = 'at least 3' if ndim is None else str(ndim + 2)
        raise ValueError(f'{function}: expected an input x of shape (N, C, *spatial) with '
                         f'{expected} axes, received shape {tuple(x.shape)}')
    try:
        expect_float(get_namespace(x), x, 'x')
    except InvalidType as error:
        error.set_function(function)
        raise
    return spatial


def window_size(geometry: _Geometry) -> int:
    """The number of elements of one window."""
    return math.prod(geometry.ksize)


def patches(node: Any, x: Any, geometry: _Geometry, pad_value: float = 0) -> Any:
    """The windows of ``x`` as ``(N, C, K, *out_size)``, ``K`` the window size."""
    xp = node.xp
    padded = _padded(xp, x, geometry, pad_value)
    kernel = node.device.kernel('im2col_nd')
    ndim = len(geometry.ksize)
    if kernel is not None:
        cols = kernel(padded, geometry.ksize, geometry.stride, (0,) * ndim, geometry.dilate)
        return xp.reshape(cols, tuple(x.shape[:2]) + (window_size(geometry),) +
                          geometry.out_size)
    return xp.stack([padded[geometry.window(offsets)] for offsets in
                     itertools.product(*(range(k) for k in geometry.ksize))], axis=2)


def spread(xp: Any, cols: Any, geometry: _Geometry) -> Any:
    """The adjoint of :func:`patches`: adds every window element back where it was read.

    ``cols`` is ``(N, C, K, *out_size)``. Window offsets ``q * stride + r`` with
    the same ``q`` never overlap, so each such block is placed by padding the
    offsets to the stride and interleaving them with the output positions (a
    reshape); the blocks are shifted by ``q * stride`` and summed.
    """
    ndim = len(geometry.ksize)
    n, c = cols.shape[:2]
    cols = xp.reshape(cols, (n, c) + geometry.ksize + geometry.out_size)
    interleaved = (0, 1) + tuple(axis for i in range(ndim) for axis in (2 + ndim + i, 2 + i))
    blocks = [range(-(-k // s)) for k, s in zip(geometry.ksize, geometry.stride)]
    total = None
    for q in itertools.product(*blocks):
        block = cols[(slice(None), slice(None)) + tuple(
            slice(qi * s, min((qi + 1) * s, k))
            for qi, s, k in zip(q, geometry.stride, geometry.ksize)) + (Ellipsis,)]
        block = pad_constant(xp, block, ((0, 0), (0, 0)) + tuple(
            (0, s - size) for s, size in zip(geometry.stride, block.shape[2:2 + ndim])), 0)
        block = xp.reshape(xp.permute_dims(block, interleaved), (n, c) + tuple(
            o * s for o, s in zip(geometry.out_size, geometry.stride)))
        starts = tuple(before - qi * s for (before, _), qi, s in
                       zip(geometry.padding, q, geometry.stride))
        block = _crop_or_pad(xp, block, starts, geometry.in_size)
        total = block if total is None else total + block
    return total


def _crop_or_pad(xp: Any, x: Any, starts: tuple[int, ...], sizes: tuple[int, ...]) -> Any:
    """``x[:, :, start:start + size, ...]`` per spatial axis, zeros where that leaves ``x``."""
    padding = tuple((max(-start, 0), max(start + size - length, 0))
                    for start, size, length in zip(starts, sizes, x.shape[2:]))
    x = pad_constant(xp, x, ((0, 0), (0, 0)) + padding, 0)
    return x[(slice(None), slice(None)) + tuple(
        slice(start + before, start + before + size)
        for start, (before, _), size in zip(starts, padding, sizes))]
