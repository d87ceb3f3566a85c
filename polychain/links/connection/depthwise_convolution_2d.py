"""The two-dimensional depthwise convolution layer."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from polychain import initializers
from polychain.functions.connection.depthwise_convolution_2d import depthwise_convolution_2d
from polychain.link import Link
from polychain.parameter import Parameter
from polychain.variable import Variable


def _pair(value: Any) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


class DepthwiseConvolution2D(Link):
    """Two-dimensional depthwise convolution (see :func:`depthwise_convolution_2d`).

    Args:
        in_channels: Number of input channels, or ``None`` to infer it on the
            first call.
        channel_multiplier: Number of filters per input channel.
        ksize: Kernel size: an int or a pair ``(kH, kW)``.
        stride: Stride: an int or a pair ``(sy, sx)``.
        pad: Zero padding: an int or a pair ``(ph, pw)``.
        nobias: Leave the bias out.
        initialW: Initializer of ``W`` (default
            :class:`~polychain.initializers.HeNormal` with scale ``1 / sqrt(2)``).
        initial_bias: Initializer of ``b`` (default 0).

    Attributes:
        W: Filters of shape ``(channel_multiplier, in_channels, kH, kW)``.
        b: Bias of shape ``(channel_multiplier * in_channels,)``.
    """

    def __init__(self, in_channels: int | None, channel_multiplier: int, ksize: Any,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False, initialW: Any = None,  # noqa: N803
                 initial_bias: Any = None) -> None:
        super().__init__()
        self.ksize = _pair(ksize)
        self.stride = _pair(stride)
        self.pad = _pair(pad)
        self.channel_multiplier = channel_multiplier
        self.nobias = nobias
        if initialW is None:
            initialW = initializers.HeNormal(1.0 / math.sqrt(2))  # noqa: N806
        with self.init_scope():
            self.W = Parameter(initializers.get_initializer(initialW))
            if nobias:
                self.b = None
            else:
                bias_init = 0 if initial_bias is None else initial_bias
                self.b = Parameter(initializers.get_initializer(bias_init))
        if in_channels is not None:
            self._initialize_params(in_channels)

    def _initialize_params(self, in_channels: int) -> None:
        self.W.initialize((self.channel_multiplier, in_channels) + self.ksize)
        if self.b is not None:
            self.b.initialize((self.channel_multiplier * in_channels,))

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield 'channel_multiplier', self.channel_multiplier
        yield 'ksize', self.ksize
        yield 'stride', self.stride
        yield 'pad', self.pad
        yield 'nobias', self.nobias

    def forward(self, x: Any) -> Variable:
        """Applies the layer to ``x`` of shape ``(N, C, H, W)``."""
        if self.W.array is None:
            self._initialize_params(x.shape[1])
        return depthwise_convolution_2d(x, self.W, self.b, self.stride, self.pad)
