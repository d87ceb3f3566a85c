"""deformable_convolution_2d_sampler: a convolution whose taps move by learned offsets."""

from __future__ import annotations

from typing import Any

from polychain.backend.registry import get_device_from_array
from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.reshape import reshape
from polychain.functions.array.spatial_transformer_sampler import sample_bilinear
from polychain.functions.math.matmul import matmul
from polychain.utils.windows import as_tuple
from polychain.variable import Variable


def _tap_positions(xp: Any, device: Any, dtype: Any, kernel: tuple[int, int],
                   stride: tuple[int, int], out_size: tuple[int, int]) -> tuple[Any, Any]:
    """``(1, kh * kw, out_h, out_w)`` columns and rows of each filter tap without offsets."""
    (kh, kw), (sy, sx), (out_h, out_w) = kernel, stride, out_size
    tap_y = xp.reshape(xp.arange(kh, dtype=dtype, device=device), (kh, 1, 1, 1))
    tap_x = xp.reshape(xp.arange(kw, dtype=dtype, device=device), (1, kw, 1, 1))
    out_y = xp.reshape(xp.arange(out_h, dtype=dtype, device=device) * sy, (1, 1, out_h, 1))
    out_x = xp.reshape(xp.arange(out_w, dtype=dtype, device=device) * sx, (1, 1, 1, out_w))
    shape = (kh, kw, out_h, out_w)
    rows = xp.reshape(xp.broadcast_to(tap_y + out_y, shape), (1, kh * kw, out_h, out_w))
    cols = xp.reshape(xp.broadcast_to(tap_x + out_x, shape), (1, kh * kw, out_h, out_w))
    return cols, rows


def deformable_convolution_2d_sampler(x: Any, offset: Any, W: Any, b: Any = None,  # noqa: N803
                                      stride: Any = 1, pad: Any = 0) -> Variable:
    """Two-dimensional deformable convolution with given offsets.

    Each filter tap ``(i, j)`` of output pixel ``(y, x)`` reads the
    zero-padded input at ``(y * s_Y + i + dy, x * s_X + j + dx)``, interpolated
    bilinearly, where ``(dx, dy)`` is that tap's offset at that pixel.

    Args:
        x: Input of shape ``(n, c_I, h, w)``.
        offset: Offsets of shape ``(n, 2 * k_H * k_W, h_O, w_O)``: the first
            ``k_H * k_W`` channels move the taps (row-major) horizontally, the
            last ``k_H * k_W`` vertically.
        W: Filter of shape ``(c_O, c_I, k_H, k_W)``.
        b: Bias of shape ``(c_O,)``, or ``None``.
        stride: Stride: an int or ``(s_Y, s_X)``.
        pad: Zero padding: an int or ``(p_H, p_W)``.

    Returns:
        A Variable of shape ``(n, c_O, h_O, w_O)``.

    Raises:
        ValueError: ``offset`` does not have ``2 * k_H * k_W`` channels.
    """
    stride = as_tuple(stride, 2, 'deformable_convolution_2d_sampler', 'stride')
    pad = as_tuple(pad, 2, 'deformable_convolution_2d_sampler', 'pad')
    n, c = x.shape[:2]
    out_c, _, kh, kw = W.shape
    taps = kh * kw
    if offset.shape[1] != 2 * taps:
        raise ValueError(f'deformable_convolution_2d_sampler: expected offset with '
                         f'2 * kh * kw = {2 * taps} channels for the filter of shape '
                         f'{tuple(W.shape)}, received shape {tuple(offset.shape)}')
    out_h, out_w = offset.shape[2:]
    raw = offset.array if isinstance(offset, Variable) else offset
    device = get_device_from_array(raw)
    cols, rows = _tap_positions(device.namespace, device.native, raw.dtype, (kh, kw), stride,
                                (out_h, out_w))
    u = reshape(offset[:, :taps, :, :] + cols, (n, -1))
    v = reshape(offset[:, taps:, :, :] + rows, (n, -1))
    samples = reshape(sample_bilinear(x, u, v, pad), (n, c * taps, out_h * out_w))
    y = reshape(matmul(reshape(W, (out_c, c * taps)), samples), (n, out_c, out_h, out_w))
    if b is None:
        return y
    return y + broadcast_to(reshape(b, (1, out_c, 1, 1)), y.shape)
