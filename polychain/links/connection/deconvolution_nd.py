"""N-dimensional deconvolution layers: DeconvolutionND, Deconvolution1D and Deconvolution3D."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from polychain.functions.connection.deconvolution_nd import deconvolution_nd
from polychain.links.connection.convolution_nd import NDConvolutionLinkBase
from polychain.variable import Variable


class DeconvolutionND(NDConvolutionLinkBase):
    """N-dimensional deconvolution layer (see :func:`~polychain.functions.deconvolution_nd`).

    ``DeconvolutionND(ndim, out_channels, ksize)`` infers the input channels
    from the first input.

    Args:
        ndim: Number of spatial axes.
        in_channels: Input channels, or ``None`` to infer them.
        out_channels: Output channels.
        ksize: Filter size: an int or ``ndim`` ints.
        stride: Stride: an int or ``ndim`` ints.
        pad: Padding cropped from both sides: an int or ``ndim`` ints.
        nobias: Leave the bias out.
        outsize: Spatial output shape, or ``None`` to compute it from the input.
        initialW: Initializer of ``W`` (default :class:`~polychain.initializers.LeCunNormal`).
        initial_bias: Initializer of ``b`` (default 0).
        dilate: Dilation: an int or ``ndim`` ints.
        groups: Number of groups splitting input and output channels.

    Attributes:
        W: Filter of shape ``(in_channels, out_channels / groups, *ksize)``.
        b: Bias of shape ``(out_channels,)``, or ``None``.
    """

    def __init__(self, ndim: int, in_channels: int | None, out_channels: int,
                 ksize: Any = None, stride: Any = 1, pad: Any = 0, nobias: bool = False,
                 outsize: Any = None, initialW: Any = None,  # noqa: N803
                 initial_bias: Any = None, dilate: Any = 1, groups: int = 1) -> None:
        self.outsize = outsize
        super().__init__(ndim, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, dilate, groups, transposed=True)

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield from super().printable_specs
        yield 'outsize', self.outsize

    def forward(self, x: Any) -> Variable:
        """Applies the deconvolution to ``x`` of shape ``(N, C, *spatial)``."""
        self._ensure_params(x)
        return deconvolution_nd(x, self.W, self.b, self.stride, self.pad, self.outsize,
                                dilate=self.dilate, groups=self.groups)


class Deconvolution1D(DeconvolutionND):
    """One-dimensional deconvolution layer: :class:`DeconvolutionND` with ``ndim=1``.

    Args:
        in_channels: Input channels, or ``None`` to infer them.
        out_channels: Output channels.
        ksize: Filter size.
        stride: Stride.
        pad: Padding cropped from both sides.
        nobias: Leave the bias out.
        outsize: Output length, or ``None``.
        initialW: Initializer of ``W``.
        initial_bias: Initializer of ``b`` (default 0).
        dilate: Dilation.
        groups: Number of channel groups.
    """

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any = None,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False, outsize: Any = None,
                 initialW: Any = None, initial_bias: Any = None,  # noqa: N803
                 dilate: Any = 1, groups: int = 1) -> None:
        super().__init__(1, in_channels, out_channels, ksize, stride, pad, nobias, outsize,
                         initialW, initial_bias, dilate, groups)


class Deconvolution3D(DeconvolutionND):
    """Three-dimensional deconvolution layer: :class:`DeconvolutionND` with ``ndim=3``.

    Args:
        in_channels: Input channels, or ``None`` to infer them.
        out_channels: Output channels.
        ksize: Filter size: an int or a triple.
        stride: Stride: an int or a triple.
        pad: Padding cropped from both sides: an int or a triple.
        nobias: Leave the bias out.
        outsize: Spatial output shape ``(od, oh, ow)``, or ``None``.
        initialW: Initializer of ``W``.
        initial_bias: Initializer of ``b`` (default 0).
        dilate: Dilation: an int or a triple.
        groups: Number of channel groups.
    """

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any = None,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False, outsize: Any = None,
                 initialW: Any = None, initial_bias: Any = None,  # noqa: N803
                 dilate: Any = 1, groups: int = 1) -> None:
        super().__init__(3, in_channels, out_channels, ksize, stride, pad, nobias, outsize,
                         initialW, initial_bias, dilate, groups)
