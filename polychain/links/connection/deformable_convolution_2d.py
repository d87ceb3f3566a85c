"""Deformable convolution: a convolution predicting offsets, and the layer sampling with them."""

from __future__ import annotations

from typing import Any

from polychain.functions.connection.deformable_convolution_2d_sampler import (
    deformable_convolution_2d_sampler,
)
from polychain.initializers.constant import Zero
from polychain.link import Chain
from polychain.links.connection.convolution_2d import Convolution2D
from polychain.links.connection.convolution_base import ConvolutionLinkBase
from polychain.utils.windows import as_tuple
from polychain.variable import Variable


class DeformableConvolution2DSampler(ConvolutionLinkBase):
    """The filter and bias of :func:`~polychain.functions.deformable_convolution_2d_sampler`.

    Args:
        in_channels: Input channels, or ``None`` to infer them from the first input.
        out_channels: Output channels.
        ksize: Filter size: an int or ``(kh, kw)``.
        stride: Stride: an int or ``(sy, sx)``.
        pad: Zero padding: an int or ``(ph, pw)``.
        nobias: Leave the bias out.
        initialW: Initializer of ``W`` (default zeros, as in Chainer).
        initial_bias: Initializer of ``b`` (default 0).
    """

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None) -> None:  # noqa: N803
        super().__init__(2, in_channels, out_channels, ksize, stride, pad, nobias,
                         Zero() if initialW is None else initialW, initial_bias, 1, 1,
                         transposed=False)

    def forward(self, x: Any, offset: Any) -> Variable:
        """Samples ``x`` at the taps moved by ``offset`` and applies the filter."""
        self._ensure_params(x)
        return deformable_convolution_2d_sampler(x, offset, self.W, self.b, self.stride,
                                                 self.pad)


class DeformableConvolution2D(Chain):
    """Two-dimensional deformable convolution layer.

    ``offset_conv`` (a :class:`Convolution2D`) predicts the offsets of the
    filter taps from the input; ``deform_conv`` (a
    :class:`DeformableConvolution2DSampler`) convolves the input sampled at
    the moved taps.

    Args:
        in_channels: Input channels, or ``None`` to infer them from the first input.
        out_channels: Output channels.
        ksize: Filter size: an int or ``(kh, kw)``.
        stride: Stride: an int or ``(sy, sx)``.
        pad: Zero padding: an int or ``(ph, pw)``.
        offset_nobias: Leave the bias of ``offset_conv`` out.
        offset_initialW: Initializer of ``offset_conv.W``.
        offset_initial_bias: Initializer of ``offset_conv.b`` (default 0).
        deform_nobias: Leave the bias of ``deform_conv`` out.
        deform_initialW: Initializer of ``deform_conv.W`` (default zeros).
        deform_initial_bias: Initializer of ``deform_conv.b`` (default 0).
    """

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any,
                 stride: Any = 1, pad: Any = 0, offset_nobias: bool = False,
                 offset_initialW: Any = None, offset_initial_bias: Any = None,  # noqa: N803
                 deform_nobias: bool = False, deform_initialW: Any = None,  # noqa: N803
                 deform_initial_bias: Any = None) -> None:
        super().__init__()
        kh, kw = as_tuple(ksize, 2, type(self).__name__, 'ksize')
        with self.init_scope():
            self.offset_conv = Convolution2D(in_channels, 2 * kh * kw, ksize, stride, pad,
                                             offset_nobias, offset_initialW,
                                             offset_initial_bias)
            self.deform_conv = DeformableConvolution2DSampler(
                in_channels, out_channels, ksize, stride, pad, deform_nobias,
                deform_initialW, deform_initial_bias)

    def forward(self, x: Any) -> Variable:
        """Applies the deformable convolution to ``x`` of shape ``(N, C, H, W)``."""
        return self.deform_conv(x, self.offset_conv(x))
