"""The two-dimensional deconvolution layer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from polychain.functions.connection.deconvolution_2d import deconvolution_2d
from polychain.links.connection.convolution_base import ConvolutionLinkBase, shift_short_form
from polychain.variable import Variable


class Deconvolution2D(ConvolutionLinkBase):
    """Two-dimensional deconvolution layer (see :func:`~polychain.functions.deconvolution_2d`).

    ``Deconvolution2D(out_channels, ksize)`` infers the input channels from the
    first input.

    Args:
        in_channels: Input channels, or ``None`` to infer them.
        out_channels: Output channels.
        ksize: Filter size: an int or ``(kh, kw)``.
        stride: Stride: an int or ``(sy, sx)``.
        pad: Padding cropped from both sides: an int or ``(ph, pw)``.
        nobias: Leave the bias out.
        outsize: Output size ``(out_h, out_w)``, or ``None`` to compute it from the input.
        initialW: Initializer of ``W`` (default :class:`~polychain.initializers.LeCunNormal`).
        initial_bias: Initializer of ``b`` (default 0).
        dilate: Dilation: an int or ``(dy, dx)``.
        groups: Number of groups splitting input and output channels.

    Attributes:
        W: Filter of shape ``(in_channels, out_channels / groups, kh, kw)``.
        b: Bias of shape ``(out_channels,)``, or ``None``.
    """

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any = None,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False, outsize: Any = None,
                 initialW: Any = None, initial_bias: Any = None,  # noqa: N803
                 *, dilate: Any = 1, groups: int = 1) -> None:
        in_channels, out_channels, ksize = shift_short_form(in_channels, out_channels, ksize)
        self.outsize = outsize
        super().__init__(2, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, dilate, groups, transposed=True)

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield from super().printable_specs
        yield 'outsize', self.outsize

    def forward(self, x: Any) -> Variable:
        """Applies the deconvolution to ``x`` of shape ``(N, C, H, W)``."""
        self._ensure_params(x)
        return deconvolution_2d(x, self.W, self.b, self.stride, self.pad, self.outsize,
                                dilate=self.dilate, groups=self.groups)
