"""N-dimensional convolution layers: ConvolutionND, Convolution1D and Convolution3D."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from polychain.functions.connection.convolution_nd import convolution_nd
from polychain.links.connection.convolution_base import ConvolutionLinkBase, shift_short_form
from polychain.links.connection.from_params import unwrap_params
from polychain.variable import Variable


class NDConvolutionLinkBase(ConvolutionLinkBase):
    """Base of the N-dimensional (de)convolution links: accepts the short form and keeps ``ndim``.

    Args:
        ndim: Number of spatial axes.
        in_channels: Input channels, or ``None`` to infer them.
        out_channels: Output channels.
        ksize: Filter size: an int or ``ndim`` ints.
        stride: Stride: an int or ``ndim`` ints.
        pad: Padding: an int or ``ndim`` ints.
        nobias: Leave the bias out.
        initialW: Initializer of ``W``.
        initial_bias: Initializer of ``b`` (default 0).
        dilate: Dilation: an int or ``ndim`` ints.
        groups: Number of groups splitting input and output channels.
        transposed: Whether ``W`` has the deconvolution layout ``(in, out / groups, *ksize)``.
    """

    def __init__(self, ndim: int, in_channels: int | None, out_channels: int, ksize: Any,
                 stride: Any, pad: Any, nobias: bool, initialW: Any,  # noqa: N803
                 initial_bias: Any, dilate: Any, groups: int, transposed: bool) -> None:
        in_channels, out_channels, ksize = shift_short_form(in_channels, out_channels, ksize)
        self.ndim = ndim
        super().__init__(ndim, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, dilate, groups, transposed=transposed)

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield 'ndim', self.ndim
        yield from super().printable_specs


class ConvolutionND(NDConvolutionLinkBase):
    """N-dimensional convolution layer (see :func:`~polychain.functions.convolution_nd`).

    ``ConvolutionND(ndim, out_channels, ksize)`` infers the input channels from
    the first input.

    Args:
        ndim: Number of spatial axes.
        in_channels: Input channels, or ``None`` to infer them.
        out_channels: Output channels.
        ksize: Filter size: an int or ``ndim`` ints.
        stride: Stride: an int or ``ndim`` ints.
        pad: Zero padding on both sides: an int or ``ndim`` ints.
        nobias: Leave the bias out.
        initialW: Initializer of ``W`` (default :class:`~polychain.initializers.LeCunNormal`).
        initial_bias: Initializer of ``b`` (default 0).
        cover_all: Add windows so that every input element is covered.
        dilate: Dilation: an int or ``ndim`` ints.
        groups: Number of groups splitting input and output channels.

    Attributes:
        W: Filter of shape ``(out_channels, in_channels / groups, *ksize)``.
        b: Bias of shape ``(out_channels,)``, or ``None``.
    """

    def __init__(self, ndim: int, in_channels: int | None, out_channels: int,
                 ksize: Any = None, stride: Any = 1, pad: Any = 0, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None,  # noqa: N803
                 cover_all: bool = False, dilate: Any = 1, groups: int = 1) -> None:
        self.cover_all = cover_all
        super().__init__(ndim, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, dilate, groups, transposed=False)

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield from super().printable_specs
        yield 'cover_all', self.cover_all

    @classmethod
    def from_params(cls, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,  # noqa: N803
                    nobias: bool = False, initialW: Any = None,  # noqa: N803
                    initial_bias: Any = None, cover_all: bool = False, dilate: Any = 1,
                    groups: int = 1) -> ConvolutionND:
        """A layer of ``W.ndim - 2`` spatial axes initialised with the values of ``W``
        (and ``b``), on ``W``'s device (``initialW`` and ``initial_bias`` are not used).

        Raises:
            ValueError: ``b`` does not have ``W.shape[0]`` elements.
        """
        out_channels, in_per_group = W.shape[:2]
        W, b, device = unwrap_params(W, b, out_channels, cls.__name__)  # noqa: N806
        return ConvolutionND(W.ndim - 2, in_per_group * groups, out_channels,
                             tuple(W.shape[2:]), stride, pad, nobias, initialW=W,
                             initial_bias=b, cover_all=cover_all, dilate=dilate,
                             groups=groups).to_device(device)

    def forward(self, x: Any) -> Variable:
        """Applies the convolution to ``x`` of shape ``(N, C, *spatial)``."""
        self._ensure_params(x)
        return convolution_nd(x, self.W, self.b, self.stride, self.pad, cover_all=self.cover_all,
                              dilate=self.dilate, groups=self.groups)


class Convolution1D(ConvolutionND):
    """One-dimensional convolution layer: :class:`ConvolutionND` with ``ndim=1``.

    Args:
        in_channels: Input channels, or ``None`` to infer them.
        out_channels: Output channels.
        ksize: Filter size.
        stride: Stride.
        pad: Zero padding on both sides.
        nobias: Leave the bias out.
        initialW: Initializer of ``W``.
        initial_bias: Initializer of ``b`` (default 0).
        cover_all: Add windows so that every input element is covered.
        dilate: Dilation.
        groups: Number of channel groups.
    """

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any = None,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None,  # noqa: N803
                 cover_all: bool = False, dilate: Any = 1, groups: int = 1) -> None:
        super().__init__(1, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, cover_all, dilate, groups)


class Convolution3D(ConvolutionND):
    """Three-dimensional convolution layer: :class:`ConvolutionND` with ``ndim=3``.

    Args:
        in_channels: Input channels, or ``None`` to infer them.
        out_channels: Output channels.
        ksize: Filter size: an int or a triple.
        stride: Stride: an int or a triple.
        pad: Zero padding on both sides: an int or a triple.
        nobias: Leave the bias out.
        initialW: Initializer of ``W``.
        initial_bias: Initializer of ``b`` (default 0).
        cover_all: Add windows so that every input element is covered.
        dilate: Dilation: an int or a triple.
        groups: Number of channel groups.
    """

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any = None,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None,  # noqa: N803
                 cover_all: bool = False, dilate: Any = 1, groups: int = 1) -> None:
        super().__init__(3, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, cover_all, dilate, groups)
