"""Windows over the spatial axes of ``(N, C, *spatial)`` arrays: the one owner of their geometry.

Convolution, pooling, ``im2col`` and :mod:`polychain.utils.conv_nd` describe
their windows with :class:`WindowGeometry`, read them with
:func:`extract_patches` and add them back with :func:`add_patches` or
:func:`spread_patches`. The helpers take the :class:`~polychain.backend.Device`
of the arrays: its namespace computes, and its ``'im2col_nd'`` kernel and
``scatter_add`` hook are used where the backend has them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

from polychain.backend import kernels

__all__ = ['WindowGeometry', 'add_patches', 'as_tuple', 'extract_patches', 'get_conv_outsize',
           'get_deconv_outsize', 'pad_constant', 'padded', 'spread_patches']


def as_tuple(value: Any, ndim: int, function: str, argument: str) -> tuple[int, ...]:
    """``value`` (an int or a sequence of ``ndim`` ints) as a tuple of ``ndim`` ints.

    Args:
        value: An int, applied to every spatial axis, or one int per axis.
        ndim: Number of spatial axes.
        function: Name of the calling function, for error messages.
        argument: Name of the argument, for error messages.

    Raises:
        ValueError: ``value`` is neither.
    """
    if isinstance(value, int):
        values = (value,) * ndim
    else:
        try:
            values = tuple(value)
        except TypeError:
            values = ()
    if len(values) != ndim or any(isinstance(v, bool) or not isinstance(v, int) for v in values):
        raise ValueError(f'{function}: expected an int or {ndim} ints as {argument}, received '
                         f'{value!r}')
    return values


def get_conv_outsize(size: int, k: int, s: int, p: int, cover_all: bool = False,
                     d: int = 1) -> int:
    """Output length of a convolution along one axis.

    Args:
        size: Input length.
        k: Kernel size.
        s: Stride.
        p: Padding on both sides.
        cover_all: Add a window so that every input element is covered.
        d: Dilation.
    """
    window = d * (k - 1) + 1
    return (size + 2 * p - window + (s - 1 if cover_all else 0)) // s + 1


def get_deconv_outsize(size: int, k: int, s: int, p: int, cover_all: bool = False,
                       d: int = 1) -> int:
    """Output length of a deconvolution along one axis (the inverse of :func:`get_conv_outsize`).

    Args:
        size: Input length.
        k: Kernel size.
        s: Stride.
        p: Padding on both sides.
        cover_all: Whether the matching convolution used ``cover_all``.
        d: Dilation.
    """
    window = d * (k - 1) + 1
    return s * (size - 1) + window - 2 * p - (s - 1 if cover_all else 0)


class WindowGeometry:
    """The windows of a convolution or pooling over the spatial shape ``in_size``.

    Args:
        in_size: Spatial shape of the input.
        ksize: Window size per spatial axis.
        stride: Stride per spatial axis.
        pad: Padding on both sides per spatial axis.
        cover_all: Add windows so that every input element is covered.
        dilate: Dilation per spatial axis.
        function: The function to name when the windows do not fit.

    Raises:
        ValueError: A window does not fit the padded input.
    """

    def __init__(self, in_size: tuple[int, ...], ksize: tuple[int, ...],
                 stride: tuple[int, ...], pad: tuple[int, ...], cover_all: bool,
                 dilate: tuple[int, ...], function: str = '') -> None:
        self.in_size, self.ksize, self.stride, self.dilate = in_size, ksize, stride, dilate
        self.out_size = tuple(
            (n + 2 * p - (d * (k - 1) + 1) + (s - 1 if cover_all else 0)) // s + 1
            for n, k, s, p, d in zip(in_size, ksize, stride, pad, dilate))
        if any(n < 1 for n in self.out_size):
            where = f'{function}: ' if function else ''
            raise ValueError(f'{where}expected a window of size {ksize} with dilation {dilate} to '
                             f'fit the padded input, received spatial shape {in_size} with pad '
                             f'{pad}')
        # Padding after the input makes every window inside the padded array; cover_all
        # needs up to stride - 1 more.
        self.padding = tuple(
            (p, (o - 1) * s + d * (k - 1) + 1 - n - p)
            for n, k, s, p, d, o in zip(in_size, ksize, stride, pad, dilate, self.out_size))
        #: The padding that covers the whole input too (no negative entries).
        self.covering_padding = tuple((before, max(after, 0)) for before, after in self.padding)

    @property
    def window_size(self) -> int:
        """The number of elements of one window."""
        return math.prod(self.ksize)

    def window(self, offsets: tuple[int, ...]) -> tuple[slice, ...]:
        """The strided slice of the padded input that kernel offset ``offsets`` reads."""
        return (slice(None), slice(None)) + tuple(
            slice(o * d, o * d + (m - 1) * s + 1, s)
            for o, d, m, s in zip(offsets, self.dilate, self.out_size, self.stride))


def pad_constant(device: Any, x: Any, pad_width: Sequence[tuple[int, int]],
                 value: float | Sequence[tuple[float, float]]) -> Any:
    """``x`` with ``pad_width[i] = (before, after)`` elements of ``value`` around axis ``i``.

    ``value`` is one scalar, or a ``(before, after)`` pair of scalars per axis.
    Written with the Array API: a new array, ``x`` is not written.
    """
    xp = device.namespace
    for axis, (before, after) in enumerate(pad_width):
        if not before and not after:
            continue
        pieces = []
        values = value[axis] if isinstance(value, (tuple, list)) else (value, value)
        for count, fill in zip((before, after), values):
            shape = tuple(x.shape[:axis]) + (count,) + tuple(x.shape[axis + 1:])
            pieces.append(xp.full(shape, fill, dtype=x.dtype, device=device.native))
        x = xp.concat([pieces[0], x, pieces[1]], axis=axis)
    return x


def padded(device: Any, x: Any, geometry: WindowGeometry, value: float = 0) -> Any:
    """``x`` padded with ``value``; a negative trailing padding (rows no window reads) is a crop."""
    x = pad_constant(device, x, ((0, 0), (0, 0)) + geometry.covering_padding, value)
    crop = tuple(slice(0, n + min(after, 0))
                 for n, (_, after) in zip(x.shape[2:], geometry.padding))
    return x[(slice(None), slice(None)) + crop]


def extract_patches(device: Any, x: Any, geometry: WindowGeometry, pad_value: float = 0) -> Any:
    """The windows of ``x`` ``(N, C, *spatial)`` as ``(N, C, *ksize, *out_size)``."""
    xp = device.namespace
    source = padded(device, x, geometry, pad_value)
    kernel = device.kernel(kernels.im2col_nd)
    if kernel is not None:
        return kernel(source, geometry.ksize, geometry.stride, geometry.dilate)
    cols = xp.stack([source[geometry.window(offsets)] for offsets in
                     itertools.product(*(range(k) for k in geometry.ksize))], axis=2)
    return xp.reshape(cols, tuple(x.shape[:2]) + tuple(geometry.ksize) + geometry.out_size)


def add_patches(device: Any, cols: Any, geometry: WindowGeometry) -> Any:
    """The adjoint of :func:`extract_patches`, by the backend's ``scatter_add``: any dilation.

    ``cols`` is ``(N, C, *ksize, *out_size)``; the result ``(N, C, *in_size)``.
    """
    n, c = cols.shape[:2]
    padded_size = tuple(size + before + after for size, (before, after) in
                        zip(geometry.in_size, geometry.covering_padding))
    gx = device.namespace.zeros((n, c) + padded_size, dtype=cols.dtype, device=device.native)
    scatter_add = device.backend.scatter_add
    for offsets in itertools.product(*(range(k) for k in geometry.ksize)):
        gx = scatter_add(gx, geometry.window(offsets),
                         cols[(slice(None), slice(None)) + offsets + (Ellipsis,)])
    crop = tuple(slice(before, before + size) for size, (before, _) in
                 zip(geometry.in_size, geometry.padding))
    return gx[(slice(None), slice(None)) + crop]


def spread_patches(device: Any, cols: Any, geometry: WindowGeometry) -> Any:
    """The adjoint of :func:`extract_patches` without a scatter, for undilated windows.

    ``cols`` is ``(N, C, *ksize, *out_size)`` (or with the window axes flattened
    into one). Window offsets ``q * stride + r`` with the same ``q`` never
    overlap, so each such block is placed by padding the offsets to the stride
    and interleaving them with the output positions (a reshape); the blocks are
    shifted by ``q * stride`` and summed.
    """
    xp = device.namespace
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
        block = pad_constant(device, block, ((0, 0), (0, 0)) + tuple(
            (0, s - size) for s, size in zip(geometry.stride, block.shape[2:2 + ndim])), 0)
        block = xp.reshape(xp.permute_dims(block, interleaved), (n, c) + tuple(
            o * s for o, s in zip(geometry.out_size, geometry.stride)))
        starts = tuple(before - qi * s for (before, _), qi, s in
                       zip(geometry.padding, q, geometry.stride))
        block = _crop_or_pad(device, block, starts, geometry.in_size)
        total = block if total is None else total + block
    return total


def _crop_or_pad(device: Any, x: Any, starts: tuple[int, ...], sizes: tuple[int, ...]) -> Any:
    """``x[:, :, start:start + size, ...]`` per spatial axis, zeros where that leaves ``x``."""
    padding = tuple((max(-start, 0), max(start + size - length, 0))
                    for start, size, length in zip(starts, sizes, x.shape[2:]))
    x = pad_constant(device, x, ((0, 0), (0, 0)) + padding, 0)
    return x[(slice(None), slice(None)) + tuple(
        slice(start + before, start + before + size)
        for start, (before, _), size in zip(starts, padding, sizes))]
