"""Two-dimensional convolution layers: Convolution2D and DilatedConvolution2D."""

from __future__ import annotations

from typing import Any

from polychain.functions.connection.convolution_2d import convolution_2d
from polychain.links.connection.convolution_base import ConvolutionLinkBase, shift_short_form
from polychain.links.connection.from_params import unwrap_params
from polychain.variable import Variable


class Convolution2D(ConvolutionLinkBase):
    """Two-dimensional convolution layer (see :func:`~polychain.functions.convolution_2d`).

    ``Convolution2D(out_channels, ksize)`` infers the input channels from the
    first input.

    Args:
        in_channels: Input channels, or ``None`` to infer them.
        out_channels: Output channels.
        ksize: Filter size: an int or ``(kh, kw)``.
        stride: Stride: an int or ``(sy, sx)``.
        pad: Zero padding on both sides: an int or ``(ph, pw)``.
        nobias: Leave the bias out.
        initialW: Initializer of ``W`` (default :class:`~polychain.initializers.LeCunNormal`).
        initial_bias: Initializer of ``b`` (default 0).
        dilate: Dilation: an int or ``(dy, dx)``.
        groups: Number of groups splitting input and output channels.

    Attributes:
        W: Filter of shape ``(out_channels, in_channels / groups, kh, kw)``.
        b: Bias of shape ``(out_channels,)``, or ``None``.
    """

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any = None,
                 stride: Any = 1, pad: Any = 0, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None,  # noqa: N803
                 *, dilate: Any = 1, groups: int = 1) -> None:
        in_channels, out_channels, ksize = shift_short_form(in_channels, out_channels, ksize)
        super().__init__(2, in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, dilate, groups, transposed=False)

    @classmethod
    def from_params(cls, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,  # noqa: N803
                    nobias: bool = False, *, dilate: Any = 1,
                    groups: int = 1) -> Convolution2D:
        """A layer initialised with the values of ``W`` (and ``b``), on ``W``'s device.

        Raises:
            ValueError: ``b`` does not have ``W.shape[0]`` elements.
        """
        out_channels, in_per_group = W.shape[:2]
        W, b, device = unwrap_params(W, b, out_channels, cls.__name__)  # noqa: N806
        return Convolution2D(in_per_group * groups, out_channels, tuple(W.shape[2:]), stride,
                             pad, nobias, initialW=W, initial_bias=b, dilate=dilate,
                             groups=groups).to_device(device)

    def forward(self, x: Any) -> Variable:
        """Applies the convolution to ``x`` of shape ``(N, C, H, W)``."""
        self._ensure_params(x)
        return convolution_2d(x, self.W, self.b, self.stride, self.pad, dilate=self.dilate,
                              groups=self.groups)


class DilatedConvolution2D(Convolution2D):
    """Two-dimensional dilated convolution layer: :class:`Convolution2D` with ``dilate``.

    Args:
        in_channels: Input channels, or ``None`` to infer them.
        out_channels: Output channels.
        ksize: Filter size: an int or ``(kh, kw)``.
        stride: Stride: an int or ``(sy, sx)``.
        pad: Zero padding on both sides: an int or ``(ph, pw)``.
        dilate: Dilation: an int or ``(dy, dx)``.
        nobias: Leave the bias out.
        initialW: Initializer of ``W`` (default :class:`~polychain.initializers.LeCunNormal`).
        initial_bias: Initializer of ``b`` (default 0).
    """

    def __init__(self, in_channels: int | None, out_channels: int, ksize: Any = None,
                 stride: Any = 1, pad: Any = 0, dilate: Any = 1, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None) -> None:  # noqa: N803
        super().__init__(in_channels, out_channels, ksize, stride, pad, nobias, initialW,
                         initial_bias, dilate=dilate)
