"""local_convolution_2d: a 2-D convolution with separate (unshared) weights per output pixel."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.array.cast import cast
from polychain.functions.array.im2col import Col2Im, im2col
from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.math.matmul import matmul
from polychain.functions.math.sum import sum as sum_
from polychain.utils.type_check import InvalidType, expect_count, expect_float
from polychain.utils.windows import WindowGeometry, as_tuple, extract_patches
from polychain.variable import Variable


def _as_dtype(v: Variable, dtype: Any) -> Variable:
    return v if v.dtype == dtype else cast(v, dtype)


class LocalConvolution2DFunction(FunctionNode):
    """``y[n, o, p, q] = sum_{c,i,j} x[n, c, p sy + i, q sx + j] W[o, p, q, c, i, j] + b[o, p, q]``.

    Inputs are ``x`` (N, C, H, W), ``W`` (c_O, out_H, out_W, C, kH, kW) and an
    optional ``b`` (c_O, out_H, out_W). ``W`` may have another float dtype than
    ``x``; ``y`` has ``x``'s.

    Args:
        stride: Stride: an int or a pair ``(sy, sx)``.
    """

    _retain_input_indexes = (0, 1)

    def __init__(self, stride: Any = 1) -> None:
        self.stride = as_tuple(stride, 2, 'local_convolution_2d', 'stride')

    def check_type_forward(self, in_types):
        expect_count(in_types, (2, 3))
        x, w = in_types[:2]
        expect_float(self.xp, x, 'x')
        expect_float(self.xp, w, 'W')
        if x.ndim != 4 or w.ndim != 6 or x.shape[1] != w.shape[3]:
            raise InvalidType('x.ndim == 4, W.ndim == 6 and x.shape[1] == W.shape[3]',
                              f'x.shape == {x.shape}, W.shape == {w.shape}')
        if len(in_types) == 3 and (in_types[2].shape != w.shape[:3]
                                   or in_types[2].dtype != x.dtype):
            raise InvalidType(f'b.shape == W.shape[:3] == {w.shape[:3]} and b.dtype == x.dtype',
                              f'b.shape == {in_types[2].shape}, b.dtype == {in_types[2].dtype}')
        geometry = self._geometry(x.shape, w.shape)
        if geometry.out_size != w.shape[1:3]:
            raise InvalidType(f'W.shape[1:3] == output size {geometry.out_size}',
                              f'W.shape[1:3] == {w.shape[1:3]}')

    def _geometry(self, x_shape: tuple[int, ...], w_shape: tuple[int, ...]) -> WindowGeometry:
        return WindowGeometry(tuple(x_shape[2:]), tuple(w_shape[4:]), self.stride, (0, 0), False,
                              (1, 1), 'local_convolution_2d')

    def forward(self, inputs):
        xp = self.xp
        x, w = inputs[:2]
        out_channels, out_h, out_w = w.shape[:3]
        n, pixels, patch = x.shape[0], out_h * out_w, w.shape[3] * w.shape[4] * w.shape[5]
        cols = extract_patches(self.device, x, self._geometry(x.shape, w.shape))
        cols = xp.permute_dims(xp.reshape(cols, (n, patch, pixels)), (2, 0, 1))
        weights = xp.permute_dims(xp.reshape(w, (out_channels, pixels, patch)), (1, 2, 0))
        if weights.dtype != cols.dtype:
            common = xp.result_type(cols.dtype, weights.dtype)
            cols, weights = xp.astype(cols, common), xp.astype(weights, common)
        # One matrix product per output pixel: (pixels, N, patch) @ (pixels, patch, c_O).
        y = xp.reshape(xp.permute_dims(xp.matmul(cols, weights), (1, 2, 0)),
                       (n, out_channels, out_h, out_w))
        if len(inputs) == 3:
            y = y + inputs[2]
        return (y if y.dtype == x.dtype else xp.astype(y, x.dtype)),

    def backward(self, indexes, grad_outputs):
        x, w = self.get_retained_inputs()
        gy, = grad_outputs
        out_channels, out_h, out_w, in_channels, kh, kw = w.shape
        n, pixels, patch = x.shape[0], out_h * out_w, in_channels * kh * kw
        gy_pixels = transpose(reshape(gy, (n, out_channels, pixels)), (2, 0, 1))
        grads = []
        for i in indexes:
            if i == 0:
                weights = reshape(_as_dtype(w, x.dtype), (out_channels, pixels, patch))
                gcols = matmul(gy_pixels, transpose(weights, (1, 0, 2)))  # (P, N, patch)
                gcols = reshape(transpose(gcols, (1, 2, 0)), (n, patch, out_h, out_w))
                geometry = self._geometry(x.shape, w.shape)
                params = ((kh, kw), self.stride, (0, 0), False, (1, 1))
                grads.append(Col2Im(params, geometry).apply((gcols,))[0])
            elif i == 1:
                cols = reshape(im2col(x, (kh, kw), self.stride), (n, patch, pixels))
                gw = matmul(transpose(cols, (2, 1, 0)), gy_pixels)  # (P, patch, c_O)
                gw = reshape(transpose(gw, (2, 0, 1)), w.shape)
                grads.append(_as_dtype(gw, w.dtype))
            else:
                grads.append(sum_(gy, axis=0))
        return tuple(grads)


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
    inputs = (x, W) if b is None else (x, W, b)
    return LocalConvolution2DFunction(stride).apply(inputs)[0]
