"""deconvolution_nd and its 1-D and 3-D forms: N-dimensional transposed convolution."""

from __future__ import annotations

from typing import Any

from polychain.functions.connection.convolution_nd import parse_nd_spec
from polychain.functions.connection.convolution_nodes import (  # noqa: F401  (Chainer's name here)
    DeconvolutionND,
    deconvolve,
)
from polychain.utils.windows import as_tuple
from polychain.variable import Variable


def _deconvolution(function: str, ndim: int | None, x: Any, W: Any, b: Any,  # noqa: N803
                   stride: Any, pad: Any, outsize: Any, dilate: Any, groups: int) -> Variable:
    spec = parse_nd_spec(function, ndim, x, stride, pad, dilate, groups)
    if outsize is not None:
        outsize = as_tuple(outsize, spec.ndim, function, 'outsize')
    return deconvolve(x, W, b, spec, outsize, function)


def deconvolution_nd(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,  # noqa: N803
                     outsize: Any = None, dilate: Any = 1, groups: int = 1) -> Variable:
    """N-dimensional deconvolution (transposed convolution).

    The adjoint of :func:`convolution_nd` with the same filter: each input
    element adds ``x * W`` to the output window it was computed from.

    Args:
        x: Input of shape ``(N, C, d_1, ..., d_N)``.
        W: Filter of shape ``(C, O / groups, k_1, ..., k_N)``.
        b: Bias of shape ``(O,)``, or ``None``.
        stride: Stride: an int or one int per spatial axis.
        pad: Padding cropped from both sides: an int or one int per spatial axis.
        outsize: Spatial output shape ``(l_1, ..., l_N)``; by default
            ``l = s * (d - 1) + dilate * (k - 1) + 1 - 2p``. Any size whose
            convolution (with ``cover_all`` on every axis or on none) has the
            spatial shape of ``x`` is accepted.
        dilate: Dilation of the filter: an int or one int per spatial axis.
        groups: Number of groups splitting input and output channels.

    Returns:
        A variable of shape ``(N, O, l_1, ..., l_N)``.
    """
    return _deconvolution('deconvolution_nd', None, x, W, b, stride, pad, outsize, dilate,
                          groups)


def deconvolution_1d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,  # noqa: N803
                     outsize: Any = None, dilate: Any = 1, groups: int = 1) -> Variable:
    """1-dimensional deconvolution: :func:`deconvolution_nd` on an input ``(N, C, L)``.

    Args:
        x: Input of shape ``(N, C, L)``.
        W: Filter of shape ``(C, O / groups, k)``.
        b: Bias of shape ``(O,)``, or ``None``.
        stride: Stride.
        pad: Padding cropped from both sides.
        outsize: Output length (a 1-tuple or an int), or ``None``.
        dilate: Dilation of the filter.
        groups: Number of channel groups.
    """
    return _deconvolution('deconvolution_1d', 1, x, W, b, stride, pad, outsize, dilate, groups)


def deconvolution_3d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,  # noqa: N803
                     outsize: Any = None, dilate: Any = 1, groups: int = 1) -> Variable:
    """3-dimensional deconvolution: :func:`deconvolution_nd` on an input ``(N, C, D, H, W)``.

    Args:
        x: Input of shape ``(N, C, D, H, W)``.
        W: Filter of shape ``(C, O / groups, kd, kh, kw)``.
        b: Bias of shape ``(O,)``, or ``None``.
        stride: Stride: an int or a triple.
        pad: Padding cropped from both sides: an int or a triple.
        outsize: Spatial output shape ``(od, oh, ow)``, or ``None``.
        dilate: Dilation of the filter: an int or a triple.
        groups: Number of channel groups.
    """
    return _deconvolution('deconvolution_3d', 3, x, W, b, stride, pad, outsize, dilate, groups)
