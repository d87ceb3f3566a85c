"""Output sizes and patch extraction of 2-D convolutions (Chainer's ``utils.conv``).

``im2col`` and ``col2im`` work on arrays of any backend; ``*_cpu`` and
``*_gpu`` name the same functions, as one implementation serves every device.
"""

from __future__ import annotations

from typing import Any


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
    from polychain.utils.conv_nd import im2col_nd  # conv_nd imports this module
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
    from polychain.utils.conv_nd import col2im_nd
    return col2im_nd(col, (sy, sx), (ph, pw), (h, w), (dy, dx))


im2col_cpu = im2col_gpu = im2col
col2im_cpu = col2im_gpu = col2im
