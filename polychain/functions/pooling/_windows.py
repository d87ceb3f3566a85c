"""Pooling windows: the geometry of a pooling's arguments and its patches as one window axis.

The windows themselves are :class:`polychain.utils.windows.WindowGeometry`
(any number of spatial axes).
"""

from __future__ import annotations

from typing import Any

from polychain.backend import get_namespace
from polychain.utils.type_check import InvalidType, expect_float
from polychain.utils.windows import WindowGeometry, as_tuple, extract_patches


def window_geometry(function: str, in_size: tuple[int, ...], ksize: Any, stride: Any, pad: Any,
                    cover_all: bool) -> WindowGeometry:
    """The windows of a pooling over spatial shape ``in_size``; ``stride=None`` means ksize."""
    ndim = len(in_size)
    ksize = as_tuple(ksize, ndim, function, 'ksize')
    stride = ksize if stride is None else as_tuple(stride, ndim, function, 'stride')
    pad = as_tuple(pad, ndim, function, 'pad')
    if min(ksize + stride) < 1 or min(pad) < 0:
        raise ValueError(f'{function}: expected positive ksize and stride and a non-negative '
                         f'pad, received ksize={ksize}, stride={stride}, pad={pad}')
    try:
        return WindowGeometry(in_size, ksize, stride, pad, bool(cover_all), (1,) * ndim)
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


def patches(device: Any, x: Any, geometry: WindowGeometry, pad_value: float = 0) -> Any:
    """The windows of ``x`` as ``(N, C, K, *out_size)``, ``K`` the window size."""
    cols = extract_patches(device, x, geometry, pad_value)
    return device.namespace.reshape(cols, tuple(x.shape[:2]) + (geometry.window_size,) +
                                    geometry.out_size)
