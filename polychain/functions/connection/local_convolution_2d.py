"""local_convolution_2d: a 2-D convolution with separate (unshared) weights per output pixel."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.im2col import im2col
from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.math.matmul import matmul
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def _check_shapes(x: Any, W: Any, b: Any) -> None:  # noqa: N803
    if x.ndim != 4 or W.ndim != 6 or x.shape[1] != W.shape[3]:
        raise InvalidType('x.ndim == 4, W.ndim == 6 and x.shape[1] == W.shape[3]',
                          f'x.shape == {tuple(x.shape)}, W.shape == {tuple(W.shape)}')
    if b is not None and tuple(b.shape) != tuple(W.shape[:3]):
        raise InvalidType(f'b.shape == W.shape[:3] == {tuple(W.shape[:3])}',
                          f'b.shape == {tuple(b.shape)}')


def local_convolution_2d(x: Any, W: Any, b: Any = None, stride: Any = 1) -> Variable:  # noqa: N803
    """Two-dimensional locally connected layer (convolution without weight sharing).

    ``y[n, o, p, q] = sum_{c,i,j} x[n, c, p * sy + i, q * sx + j] W[o, p, q, c, i, j]
    + b[o, p, q]``; there is no padding.

    Args:
        x: Input of shape ``(N, C, H, W)``.
        W: Weight of shape ``(c_O, out_H, out_W, C, kH, kW)``, where
            ``out_H = (H - kH) // sy + 1`` and ``out_W = (W - kW) // sx + 1``.
        b: Bias of shape ``(c_O, out_H, out_W)``, or ``None``.
        stride: Stride: an int or a pair ``(sy, sx)``.

    Returns:
        A variable of shape ``(N, c_O, out_H, out_W)``.
    """
    try:
        _check_shapes(x, W, b)
    except InvalidType as error:
        error.set_function('local_convolution_2d')
        raise
    out_channels, out_h, out_w, in_channels, kh, kw = W.shape
    cols = im2col(x, (kh, kw), stride)
    if tuple(cols.shape[2:]) != (out_h, out_w):
        error = InvalidType(f'W.shape[1:3] == output size {tuple(cols.shape[2:])}',
                            f'W.shape[1:3] == {(out_h, out_w)}')
        error.set_function('local_convolution_2d')
        raise error
    n = x.shape[0]
    patch = in_channels * kh * kw
    pixels = out_h * out_w
    # One matrix product per output pixel: (pixels, N, patch) @ (pixels, patch, c_O).
    cols = transpose(reshape(cols, (n, patch, pixels)), (2, 0, 1))
    weights = transpose(reshape(W, (out_channels, pixels, patch)), (1, 2, 0))
    y = reshape(transpose(matmul(cols, weights), (1, 2, 0)), (n, out_channels, out_h, out_w))
    if b is not None:
        y = y + b
    return y
