"""deconvolution_2d: two-dimensional transposed convolution."""

from __future__ import annotations

from typing import Any

from polychain.functions.connection.convolution_geometry import ConvolutionSpec
from polychain.functions.connection.convolution_nodes import DeconvolutionND, deconvolve
from polychain.utils.windows import as_tuple
from polychain.variable import Variable


class Deconvolution2DFunction(DeconvolutionND):
    """Two-dimensional deconvolution of ``x`` (N, C, H, W) by ``W`` (C, O / groups, kh, kw).

    Args:
        stride: Stride: an int or ``(sy, sx)``.
        pad: Padding cropped from both sides: an int or ``(ph, pw)``.
        outsize: Output size ``(out_h, out_w)``, or ``None`` for the default one.
        dilate: Dilation of the filter: an int or ``(dy, dx)``.
        groups: Number of channel groups.
    """

    default_function = 'deconvolution_2d'

    def __init__(self, stride: Any = 1, pad: Any = 0, outsize: Any = None, *,
                 dilate: Any = 1, groups: int = 1) -> None:
        super().__init__(2, stride, pad, outsize, dilate, groups)


def deconvolution_2d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,  # noqa: N803
                     outsize: Any = None, *, dilate: Any = 1, groups: int = 1) -> Variable:
    """Two-dimensional deconvolution (transposed convolution).

    The adjoint of :func:`convolution_2d` with the same filter.

    Args:
        x: Input of shape ``(N, C, H, W)``.
        W: Filter of shape ``(C, O / groups, kh, kw)``.
        b: Bias of shape ``(O,)``, or ``None``.
        stride: Stride: an int or ``(sy, sx)``.
        pad: Padding cropped from both sides: an int or ``(ph, pw)``.
        outsize: Output size ``(out_h, out_w)``; by default
            ``out_h = sy * (H - 1) + dy * (kh - 1) + 1 - 2 ph`` (and likewise ``out_w``).
        dilate: Dilation of the filter: an int or ``(dy, dx)``.
        groups: Number of groups splitting input and output channels.

    Returns:
        A variable of shape ``(N, O, out_h, out_w)``.
    """
    spec = ConvolutionSpec.parse(2, stride, pad, dilate, groups, 'deconvolution_2d')
    if outsize is not None:
        outsize = as_tuple(outsize, 2, 'deconvolution_2d', 'outsize')
    return deconvolve(x, W, b, spec, outsize, 'deconvolution_2d', Deconvolution2DFunction)
