"""Unpooling (each value copied over its window) and upsampling (a value placed at its index)."""

from __future__ import annotations

from typing import Any

from polychain.functions.pooling._window_ops import ScatterAtIndexes, WindowSpread
from polychain.functions.pooling._windows import check_spatial_input, window_geometry
from polychain.utils.type_check import InvalidType
from polychain.utils.windows import WindowGeometry, as_tuple
from polychain.variable import Variable


def _inverse_geometry(function: str, ndim: int | None, x: Any, ksize: Any, stride: Any,
                      pad: Any, outsize: Any, cover_all: bool) -> WindowGeometry:
    """The windows of the pooling whose output has the spatial shape of ``x``."""
    spatial = check_spatial_input(function, x, ndim)
    in_size = tuple(x.shape[-spatial:])
    ksize = as_tuple(ksize, spatial, function, 'ksize')
    stride = ksize if stride is None else as_tuple(stride, spatial, function, 'stride')
    pad = as_tuple(pad, spatial, function, 'pad')
    if outsize is None:
        outsize = tuple(s * (n - 1) + k - 2 * p + (1 - s if cover_all else 0)
                        for n, k, s, p in zip(in_size, ksize, stride, pad))
    else:
        outsize = as_tuple(outsize, spatial, function, 'outsize')
    geometry = window_geometry(function, outsize, ksize, stride, pad, cover_all)
    if geometry.out_size != in_size:
        error = InvalidType(f'an outsize whose pooling with ksize={ksize}, stride={stride}, '
                            f'pad={pad}, cover_all={cover_all} has the spatial shape {in_size} '
                            f'of x', f'outsize == {outsize} (pooled shape {geometry.out_size})')
        error.set_function(function)
        raise error
    return geometry


def _unpooling(function: str, ndim: int | None, x: Any, ksize: Any, stride: Any, pad: Any,
               outsize: Any, cover_all: bool) -> Variable:
    geometry = _inverse_geometry(function, ndim, x, ksize, stride, pad, outsize, cover_all)
    return WindowSpread(geometry).apply((x,))[0]


def unpooling_nd(x: Any, ksize: Any, stride: Any = None, pad: Any = 0, outsize: Any = None,
                 cover_all: bool = True) -> Variable:
    """Inverse of pooling: each input value is added to every element of its window.

    Args:
        x: Input variable of shape ``(N, C, d_1, ..., d_n)``.
        ksize: Size of the window: an int or ``n`` ints.
        stride: Stride of the windows: an int or ``n`` ints; ``None`` uses ``ksize``.
        pad: Padding cropped from both sides of each spatial axis: an int or ``n`` ints.
        outsize: Spatial shape of the output (``n`` ints); ``None`` takes the
            smallest one whose pooling has the shape of ``x``.
        cover_all: Whether the pooling being inverted used ``cover_all``.

    Returns:
        The output Variable of shape ``(N, C, *outsize)``.
    """
    return _unpooling('unpooling_nd', None, x, ksize, stride, pad, outsize, cover_all)


def unpooling_1d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0, outsize: Any = None,
                 cover_all: bool = True) -> Variable:
    """Inverse of 1-dimensional pooling on ``(N, C, L)``; see :func:`unpooling_nd`.

    Args:
        x: Input variable of shape ``(N, C, L)``.
        ksize: Size of the window.
        stride: Stride; ``None`` uses ``ksize``.
        pad: Padding.
        outsize: Length of the output; ``None`` infers it.
        cover_all: Whether the pooling being inverted used ``cover_all``.
    """
    return _unpooling('unpooling_1d', 1, x, ksize, stride, pad, outsize, cover_all)


def unpooling_2d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0, outsize: Any = None,
                 cover_all: bool = True) -> Variable:
    """Inverse of spatial pooling on ``(N, C, H, W)``; see :func:`unpooling_nd`.

    Args:
        x: Input variable of shape ``(N, C, H, W)``.
        ksize: Size of the window: ``k`` or ``(kh, kw)``.
        stride: Stride: ``s`` or ``(sy, sx)``; ``None`` uses ``ksize``.
        pad: Padding: ``p`` or ``(ph, pw)``.
        outsize: ``(out_h, out_w)``; ``None`` infers it.
        cover_all: Whether the pooling being inverted used ``cover_all``.
    """
    return _unpooling('unpooling_2d', 2, x, ksize, stride, pad, outsize, cover_all)


def unpooling_3d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0, outsize: Any = None,
                 cover_all: bool = True) -> Variable:
    """Inverse of 3-dimensional pooling on ``(N, C, D, H, W)``; see :func:`unpooling_nd`.

    Args:
        x: Input variable of shape ``(N, C, D, H, W)``.
        ksize: Size of the window: an int or 3 ints.
        stride: Stride: an int or 3 ints; ``None`` uses ``ksize``.
        pad: Padding: an int or 3 ints.
        outsize: Spatial shape of the output; ``None`` infers it.
        cover_all: Whether the pooling being inverted used ``cover_all``.
    """
    return _unpooling('unpooling_3d', 3, x, ksize, stride, pad, outsize, cover_all)


def upsampling_2d(x: Any, indexes: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                  outsize: Any = None, cover_all: bool = True) -> Variable:
    """Upsampling with the indexes of :func:`max_pooling_2d`: each value goes back to its max.

    Args:
        x: Input variable of shape ``(N, C, H, W)``.
        indexes: Offsets inside the flattened windows, of the shape of ``x``, as
            returned by ``max_pooling_2d(..., return_indices=True)``.
        ksize: Size of the window: ``k`` or ``(kh, kw)``.
        stride: Stride: ``s`` or ``(sy, sx)``; ``None`` uses ``ksize``.
        pad: Padding: ``p`` or ``(ph, pw)``.
        outsize: ``(out_h, out_w)``; ``None`` infers it.
        cover_all: Whether the max pooling used ``cover_all``.

    Returns:
        The output Variable of shape ``(N, C, out_h, out_w)``, zero where no value lands.
    """
    indexes = indexes.array if isinstance(indexes, Variable) else indexes
    if tuple(indexes.shape) != tuple(x.shape):
        raise ValueError(f'upsampling_2d: expected indexes of the shape of x {tuple(x.shape)}, '
                         f'received shape {tuple(indexes.shape)}')
    geometry = _inverse_geometry('upsampling_2d', 2, x, ksize, stride, pad, outsize, cover_all)
    return ScatterAtIndexes(geometry, indexes).apply((x,))[0]
