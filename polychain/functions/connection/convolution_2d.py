"""convolution_2d and dilated_convolution_2d: two-dimensional convolution."""

from __future__ import annotations

from typing import Any

from polychain.functions.connection.convolution_geometry import ConvolutionSpec
from polychain.functions.connection.convolution_nodes import ConvolutionND, convolve_variables
from polychain.variable import Variable


class Convolution2DFunction(ConvolutionND):
    """Two-dimensional convolution of ``x`` (N, C, H, W) by ``W`` (O, C / groups, kh, kw).

    Args:
        stride: Stride: an int or ``(sy, sx)``.
        pad: Zero padding: an int or ``(ph, pw)``.
        cover_all: Add windows so that every input pixel is covered.
        dilate: Dilation of the filter: an int or ``(dy, dx)``.
        groups: Number of channel groups.
    """

    default_function = 'convolution_2d'

    def __init__(self, stride: Any = 1, pad: Any = 0, cover_all: bool = False, *,
                 dilate: Any = 1, groups: int = 1) -> None:
        super().__init__(2, stride, pad, cover_all, dilate, groups)


def _convolution_2d(function: str, x: Any, W: Any, b: Any, stride: Any,  # noqa: N803
                    pad: Any, cover_all: bool, dilate: Any, groups: int) -> Variable:
    spec = ConvolutionSpec.parse(2, stride, pad, dilate, groups, function)
    return convolve_variables(x, W, b, spec, cover_all, function, Convolution2DFunction)


def convolution_2d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,  # noqa: N803
                   cover_all: bool = False, *, dilate: Any = 1, groups: int = 1) -> Variable:
    """Two-dimensional convolution.

    ``y[n, o, p, q] = b[o] + sum_{c, i, j} W[o, c, i, j] x_pad[n, c', p * sy + i * dy,
    q * sx + j * dx]`` where ``c'`` runs over the channels of the group of ``o``.

    Args:
        x: Input of shape ``(N, C, H, W)``.
        W: Filter of shape ``(O, C / groups, kh, kw)``.
        b: Bias of shape ``(O,)``, or ``None``.
        stride: Stride: an int or ``(sy, sx)``.
        pad: Zero padding on both sides: an int or ``(ph, pw)``.
        cover_all: Add windows so that every input pixel is covered.
        dilate: Dilation of the filter: an int or ``(dy, dx)``.
        groups: Number of groups splitting input and output channels.

    Returns:
        A variable of shape ``(N, O, out_h, out_w)`` with
        ``out_h = (H + 2 ph - dy * (kh - 1) - 1) // sy + 1`` (and likewise ``out_w``).
    """
    return _convolution_2d('convolution_2d', x, W, b, stride, pad, cover_all, dilate, groups)


def dilated_convolution_2d(x: Any, W: Any, b: Any = None, stride: Any = 1,  # noqa: N803
                           pad: Any = 0, dilate: Any = 1, cover_all: bool = False) -> Variable:
    """Two-dimensional dilated convolution: :func:`convolution_2d` with ``dilate``.

    Args:
        x: Input of shape ``(N, C, H, W)``.
        W: Filter of shape ``(O, C, kh, kw)``.
        b: Bias of shape ``(O,)``, or ``None``.
        stride: Stride: an int or ``(sy, sx)``.
        pad: Zero padding on both sides: an int or ``(ph, pw)``.
        dilate: Dilation of the filter: an int or ``(dy, dx)``.
        cover_all: Add windows so that every input pixel is covered.
    """
    return _convolution_2d('dilated_convolution_2d', x, W, b, stride, pad, cover_all, dilate, 1)
