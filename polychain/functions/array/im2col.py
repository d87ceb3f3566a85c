"""im2col: image patches as channels, and its adjoint col2im."""

from __future__ import annotations

import itertools
from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.array._padding import pad_constant
from polychain.variable import Variable


def _pair(value: Any, argument: str) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or any(isinstance(v, bool) or not isinstance(v, int) for v in pair):
        raise ValueError(f'im2col: expected an int or a pair of ints as {argument}, received '
                         f'{value!r}')
    return pair


class _Geometry:
    """Window sizes of a 2-D im2col and the padding that realises ``cover_all``."""

    def __init__(self, in_size: tuple[int, int], ksize: tuple[int, int],
                 stride: tuple[int, int], pad: tuple[int, int], cover_all: bool,
                 dilate: tuple[int, int]) -> None:
        self.in_size, self.ksize, self.stride, self.dilate = in_size, ksize, stride, dilate
        self.out_size = tuple(
            (n + 2 * p - (d * (k - 1) + 1) + (s - 1 if cover_all else 0)) // s + 1
            for n, k, s, p, d in zip(in_size, ksize, stride, pad, dilate))
        if any(n < 1 for n in self.out_size):
            raise ValueError(f'im2col: expected a window of size {ksize} with dilation {dilate} '
                             f'to fit the padded input, received spatial shape {in_size} with '
                             f'pad {pad}')
        # Padding after the input makes every window inside the padded array; cover_all
        # needs up to stride - 1 more.
        self.padding = tuple(
            (p, (o - 1) * s + d * (k - 1) + 1 - n - p)
            for n, k, s, p, d, o in zip(in_size, ksize, stride, pad, dilate, self.out_size))
        #: The padding that covers the whole input too (no negative entries).
        self.covering_padding = tuple((before, max(after, 0)) for before, after in self.padding)

    def window(self, offsets: tuple[int, int]) -> tuple[slice, ...]:
        """The strided slice of the padded input that kernel offset ``offsets`` reads."""
        return (slice(None), slice(None)) + tuple(
            slice(o * d, o * d + (m - 1) * s + 1, s)
            for o, d, m, s in zip(offsets, self.dilate, self.out_size, self.stride))


def _padded(xp: Any, x: Any, geometry: _Geometry, value: float = 0) -> Any:
    """``x`` padded with ``value``; a negative trailing padding (rows no window reads) is a crop."""
    x = pad_constant(xp, x, ((0, 0), (0, 0)) + geometry.covering_padding, value)
    crop = tuple(slice(0, n + min(after, 0))
                 for n, (_, after) in zip(x.shape[2:], geometry.padding))
    return x[(slice(None), slice(None)) + crop]


def extract_patches(device: Any, xp: Any, x: Any, geometry: _Geometry) -> Any:
    """The windows of ``x`` (N, C, *spatial) as (N, C, *ksize, *out_size), in any dimension."""
    padded = _padded(xp, x, geometry)
    kernel = device.kernel('im2col_nd')
    if kernel is not None:
        return kernel(padded, geometry.ksize, geometry.stride, (0,) * len(geometry.ksize),
                      geometry.dilate)
    cols = xp.stack([padded[geometry.window(offsets)] for offsets in
                     itertools.product(*(range(k) for k in geometry.ksize))], axis=2)
    return xp.reshape(cols, tuple(x.shape[:2]) + tuple(geometry.ksize) + geometry.out_size)


def add_patches(device: Any, xp: Any, cols: Any, geometry: _Geometry) -> Any:
    """The adjoint of :func:`extract_patches`: sums each window of ``cols`` where it was read."""
    n, c = cols.shape[:2]
    padded_size = tuple(size + before + after for size, (before, after) in
                        zip(geometry.in_size, geometry.covering_padding))
    gx = xp.zeros((n, c) + padded_size, dtype=cols.dtype, device=device.native)
    scatter_add = device.backend.scatter_add
    for offsets in itertools.product(*(range(k) for k in geometry.ksize)):
        gx = scatter_add(gx, geometry.window(offsets),
                         cols[(slice(None), slice(None)) + offsets + (Ellipsis,)])
    crop = tuple(slice(before, before + size) for size, (before, _) in
                 zip(geometry.in_size, geometry.padding))
    return gx[(slice(None), slice(None)) + crop]


class Im2Col(FunctionNode):
    """Extracts patches: ``(N, C, H, W)`` to ``(N, C * kh * kw, out_h, out_w)``."""

    def __init__(self, ksize, stride, pad, cover_all, dilate) -> None:
        self.params = (ksize, stride, pad, cover_all, dilate)

    def forward(self, inputs):
        x, = inputs
        ksize, stride, pad, cover_all, dilate = self.params
        geometry = self.geometry = _Geometry(tuple(x.shape[2:]), ksize, stride, pad,
                                             cover_all, dilate)
        cols = extract_patches(self.device, self.xp, x, geometry)
        n, c = x.shape[:2]
        return self.xp.reshape(cols, (n, c * ksize[0] * ksize[1]) + geometry.out_size),

    def backward(self, indexes, grad_outputs):
        return Col2Im(self.params, self.geometry).apply(grad_outputs)


class Col2Im(FunctionNode):
    """The adjoint of :class:`Im2Col`: adds each patch back where it was read."""

    def __init__(self, params, geometry: _Geometry) -> None:
        self.params = params
        self.geometry = geometry

    def forward(self, inputs):
        gcol, = inputs
        geometry = self.geometry
        kh, kw = geometry.ksize
        n, c = gcol.shape[0], gcol.shape[1] // (kh * kw)
        gcol = self.xp.reshape(gcol, (n, c, kh, kw) + geometry.out_size)
        return add_patches(self.device, self.xp, gcol, geometry),

    def backward(self, indexes, grad_outputs):
        ksize, stride, pad, cover_all, dilate = self.params
        return Im2Col(ksize, stride, pad, cover_all, dilate).apply(grad_outputs)


def im2col(x: Any, ksize: Any, stride: Any = 1, pad: Any = 0, cover_all: bool = False,
           dilate: Any = 1) -> Variable:
    """Extracts the patches of a convolution as channels.

    ``y[n, (c * kh + i) * kw + j, p, q] = x_padded[n, c, p * sy + i * dy, q * sx + j * dx]``.

    Args:
        x: Input variable or array of shape ``(N, C, H, W)``.
        ksize: Kernel size: an int or ``(kh, kw)``.
        stride: Stride: an int or ``(sy, sx)``.
        pad: Zero padding on both sides: an int or ``(ph, pw)``.
        cover_all: Add windows so that every input pixel is covered (more
            padding at the bottom and right, as Chainer's convolutions do).
        dilate: Dilation: an int or ``(dy, dx)``.

    Returns:
        A Variable of shape ``(N, C * kh * kw, out_h, out_w)``.
    """
    if x.ndim != 4:
        raise ValueError(f'im2col: expected an input of shape (N, C, H, W), received shape '
                         f'{tuple(x.shape)}')
    ksize, stride, pad, dilate = (_pair(ksize, 'ksize'), _pair(stride, 'stride'),
                                  _pair(pad, 'pad'), _pair(dilate, 'dilate'))
    if min(ksize + stride + dilate) < 1 or min(pad) < 0:
        raise ValueError(f'im2col: expected positive ksize, stride and dilate and a '
                         f'non-negative pad, received ksize={ksize}, stride={stride}, '
                         f'dilate={dilate}, pad={pad}')
    return Im2Col(ksize, stride, pad, bool(cover_all), dilate).apply((x,))[0]
