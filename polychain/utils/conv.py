"""Patch extraction of 2-D convolutions and their output sizes (Chainer's ``utils.conv``).

``im2col`` and ``col2im`` work on arrays of any backend; ``*_cpu`` and
``*_gpu`` name the same functions, as one implementation serves every device.
"""

from __future__ import annotations

from typing import Any

from polychain.utils.conv_nd import col2im_nd, im2col_nd
from polychain.utils.windows import get_conv_outsize, get_deconv_outsize

__all__ = ['col2im', 'col2im_cpu', 'col2im_gpu', 'get_conv_outsize', 'get_deconv_outsize',
           'im2col', 'im2col_cpu', 'im2col_gpu']


def im2col(img: Any, kh: int, kw: int, sy: int, sx: int, ph: int, pw: int, pval: float = 0,
           cover_all: bool = False, dy: int = 1, dx: int = 1, out_h: int | None = None,
           out_w: int | None = None) -> Any:
    """The windows of a convolution over ``img`` ``(N, C, H, W)``: ``(N, C, kh, kw, oh, ow)``.

    ``col[n, c, i, j, y, x]`` is ``img[n, c, y * sy - ph + i * dy, x * sx - pw + j * dx]``,
    or ``pval`` outside the image.

    Args:
        img: An array of any backend.
        kh, kw: Kernel size.
        sy, sx: Stride.
        ph, pw: Padding on both sides.
        pval: The value of the padding.
        cover_all: Add windows so that every pixel is covered.
        dy, dx: Dilation.
        out_h, out_w: The output size, when the caller knows it (checked).
    """
    col = im2col_nd(img, (kh, kw), (sy, sx), (ph, pw), pval, cover_all, (dy, dx))
    expected = (out_h or col.shape[4], out_w or col.shape[5])
    if tuple(col.shape[4:]) != expected:
        raise ValueError(f'im2col: the windows give an output of size {tuple(col.shape[4:])}, '
                         f'not the given {expected}')
    return col


def col2im(col: Any, sy: int, sx: int, ph: int, pw: int, h: int, w: int, dy: int = 1,
           dx: int = 1) -> Any:
    """The adjoint of :func:`im2col`: each window of ``col`` added back to an ``(N, C, h, w)``.

    Args:
        col: An array ``(N, C, kh, kw, out_h, out_w)`` of any backend.
        sy, sx: Stride.
        ph, pw: Padding on both sides.
        h, w: The image size.
        dy, dx: Dilation.
    """
    return col2im_nd(col, (sy, sx), (ph, pw), (h, w), (dy, dx))


im2col_cpu = im2col_gpu = im2col
col2im_cpu = col2im_gpu = col2im
