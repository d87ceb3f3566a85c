"""depthwise_convolution_2d: each input channel convolved with its own filters."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.connection.convolution_2d import convolution_2d
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def _check_shapes(x: Any, W: Any, b: Any) -> None:  # noqa: N803
    if x.ndim != 4 or W.ndim != 4 or x.shape[1] != W.shape[1]:
        raise InvalidType('x.ndim == 4, W.ndim == 4 and x.shape[1] == W.shape[1]',
                          f'x.shape == {tuple(x.shape)}, W.shape == {tuple(W.shape)}')
    if b is not None and tuple(b.shape) != (W.shape[0] * W.shape[1],):
        raise InvalidType(f'b.shape == (W.shape[0] * W.shape[1],) == '
                          f'({W.shape[0] * W.shape[1]},)', f'b.shape == {tuple(b.shape)}')


def depthwise_convolution_2d(x: Any, W: Any, b: Any = None, stride: Any = 1,  # noqa: N803
                             pad: Any = 0) -> Variable:
    """Two-dimensional depthwise convolution.

    Input channel ``c`` is convolved with its ``channel_multiplier`` filters
    ``W[:, c]``; output channel ``c * channel_multiplier + m`` holds filter
    ``m`` of channel ``c``.

    Args:
        x: Input of shape ``(N, C, H, W)``.
        W: Filters of shape ``(channel_multiplier, C, kH, kW)``.
        b: Bias of shape ``(channel_multiplier * C,)``, or ``None``.
        stride: Stride: an int or a pair ``(sy, sx)``.
        pad: Zero padding on both sides: an int or a pair ``(ph, pw)``.

    Returns:
        A variable of shape ``(N, channel_multiplier * C, out_H, out_W)``.
    """
    try:
        _check_shapes(x, W, b)
    except InvalidType as error:
        error.set_function('depthwise_convolution_2d')
        raise
    multiplier, channels, kh, kw = W.shape
    # Group c of a grouped convolution holds the filters W[:, c] of input channel c.
    filters = reshape(transpose(W, (1, 0, 2, 3)), (channels * multiplier, 1, kh, kw))
    return convolution_2d(x, filters, b, stride, pad, groups=channels)
