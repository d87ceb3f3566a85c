"""Patch extraction of N-dimensional convolutions (Chainer's ``utils.conv_nd``).

``im2col_nd`` and ``col2im_nd`` work on arrays of any backend; ``*_cpu`` and
``*_gpu`` name the same functions, as one implementation serves every device.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.backend import get_device_from_array
from polychain.utils.windows import (
    WindowGeometry,
    add_patches,
    extract_patches,
    get_conv_outsize,
    get_deconv_outsize,
)

__all__ = ['as_tuple', 'col2im_nd', 'col2im_nd_cpu', 'col2im_nd_gpu', 'get_conv_outsize',
           'get_deconv_outsize', 'im2col_nd', 'im2col_nd_cpu', 'im2col_nd_gpu']


def as_tuple(x: Any, n: int) -> tuple[Any, ...]:
    """``x`` as a tuple of ``n`` values: a sequence as it is, a scalar repeated.

    Raises:
        AssertionError: ``x`` is a sequence whose length is not ``n``.
    """
    if isinstance(x, Sequence):
        if len(x) != n:
            raise AssertionError(f'as_tuple: expected {n} values, received {x!r}')
        return tuple(x)
    return (x,) * n


def _axes_tuples(ndim: int, **values: Any) -> list[tuple[int, ...]]:
    """Each keyword value as one entry per spatial axis; AssertionError for a wrong count."""
    tuples = []
    for name, value in values.items():
        if len(value) != ndim:
            raise AssertionError(f'expected {ndim} entries in {name} for {ndim} spatial axes, '
                                 f'received {tuple(value)}')
        tuples.append(tuple(value))
    return tuples


def im2col_nd(img: Any, ksize: Sequence[int], stride: Sequence[int], pad: Sequence[int],
              pval: float = 0, cover_all: bool = False, dilate: Any = 1) -> Any:
    """The windows of a convolution over ``img`` ``(N, C, *dims)``, as ``(N, C, *ksize, *outs)``.

    Args:
        img: An array of any backend.
        ksize: Kernel size per spatial axis.
        stride: Stride per spatial axis.
        pad: Padding on both sides per spatial axis.
        pval: The value of the padding.
        cover_all: Add windows so that every input element is covered.
        dilate: Dilation: an int or one per spatial axis.

    Raises:
        AssertionError: ``ksize``, ``stride`` or ``pad`` has not one entry per axis.
    """
    ndim = img.ndim - 2
    ksize, stride, pad = _axes_tuples(ndim, ksize=ksize, stride=stride, pad=pad)
    dilate = as_tuple(dilate, ndim)
    geometry = WindowGeometry(tuple(img.shape[2:]), ksize, stride, pad, cover_all, dilate,
                              'im2col_nd')
    return extract_patches(get_device_from_array(img), img, geometry, pval)


def col2im_nd(col: Any, stride: Sequence[int], pad: Sequence[int], dims: Sequence[int],
              dilate: Any = 1) -> Any:
    """The adjoint of :func:`im2col_nd`: each window of ``col`` added back to ``(N, C, *dims)``.

    Args:
        col: An array ``(N, C, *ksize, *outs)`` of any backend.
        stride: Stride per spatial axis.
        pad: Padding on both sides per spatial axis.
        dims: The spatial shape of the result.
        dilate: Dilation: an int or one per spatial axis.

    Raises:
        AssertionError: ``col``, ``stride``, ``pad`` or ``dims`` does not fit
            ``len(dims)`` spatial axes.
    """
    ndim = len(dims)
    if col.ndim != 2 + 2 * ndim:
        raise AssertionError(f'col2im_nd: expected col of {2 + 2 * ndim} dimensions for '
                             f'{ndim} spatial axes, received shape {tuple(col.shape)}')
    stride, pad, dims = _axes_tuples(ndim, stride=stride, pad=pad, dims=dims)
    dilate = as_tuple(dilate, ndim)
    ksize, outs = tuple(col.shape[2:2 + ndim]), tuple(col.shape[2 + ndim:])
    for cover_all in (False, True):
        geometry = WindowGeometry(dims, ksize, stride, pad, cover_all, dilate, 'col2im_nd')
        if geometry.out_size == outs:
            return add_patches(get_device_from_array(col), col, geometry)
    raise ValueError(f'col2im_nd: windows of size {ksize} with stride {stride} and pad {pad} '
                     f'over {dims} do not give the {outs} windows of col')


im2col_nd_cpu = im2col_nd_gpu = im2col_nd
col2im_nd_cpu = col2im_nd_gpu = col2im_nd
