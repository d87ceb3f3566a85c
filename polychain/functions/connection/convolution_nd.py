"""convolution_nd and its 1-D and 3-D forms: N-dimensional convolution."""

from __future__ import annotations

from typing import Any

from polychain.functions.connection.convolution_geometry import ConvolutionSpec
from polychain.functions.connection.convolution_nodes import (  # noqa: F401  (Chainer's name here)
    ConvolutionND,
    convolve_variables,
)
from polychain.variable import Variable


def parse_nd_spec(function: str, ndim: int | None, x: Any, stride: Any, pad: Any,
                  dilate: Any, groups: int) -> ConvolutionSpec:
    """Parses the arguments of an N-dimensional (de)convolution of ``x``.

    Args:
        function: Name of the public function, for error messages.
        ndim: Number of spatial axes, or ``None`` to take them from ``x``.
        x: Input of shape ``(N, C, *spatial)``.
        stride: Stride: an int or ``ndim`` ints.
        pad: Padding: an int or ``ndim`` ints.
        dilate: Dilation: an int or ``ndim`` ints.
        groups: Number of channel groups.
    """
    if ndim is None:
        ndim = x.ndim - 2
    if ndim < 1 or x.ndim - 2 != ndim:
        axes = 'spatial' if ndim < 1 else f'{ndim} spatial axes'
        raise ValueError(f'{function}: expected an input of shape (N, C, *spatial) with '
                         f'{axes}, received shape {tuple(x.shape)}')
    return ConvolutionSpec.parse(ndim, stride, pad, dilate, groups, function)


def _convolution(function: str, ndim: int | None, x: Any, W: Any, b: Any,  # noqa: N803
                 stride: Any, pad: Any, cover_all: bool, dilate: Any, groups: int) -> Variable:
    spec = parse_nd_spec(function, ndim, x, stride, pad, dilate, groups)
    return convolve_variables(x, W, b, spec, cover_all, function)


def convolution_nd(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,  # noqa: N803
                   cover_all: bool = False, dilate: Any = 1, groups: int = 1) -> Variable:
    """N-dimensional convolution.

    ``y[n, o, p...] = b[o] + sum_{c, k...} W[o, c, k...] x_pad[n, g * C/G + c, p * s + k * d]``
    where ``g`` is the group of the output channel ``o``.

    Args:
        x: Input of shape ``(N, C, d_1, ..., d_N)``.
        W: Filter of shape ``(O, C / groups, k_1, ..., k_N)``.
        b: Bias of shape ``(O,)``, or ``None``.
        stride: Stride: an int or one int per spatial axis.
        pad: Zero padding on both sides: an int or one int per spatial axis.
        cover_all: Add windows so that every input element is covered (a larger
            output when the stride does not divide the input).
        dilate: Dilation of the filter: an int or one int per spatial axis.
        groups: Number of groups splitting input and output channels.

    Returns:
        A variable of shape ``(N, O, l_1, ..., l_N)`` with
        ``l = (d + 2p - dilate * (k - 1) - 1) // s + 1``.
    """
    return _convolution('convolution_nd', None, x, W, b, stride, pad, cover_all, dilate, groups)


def convolution_1d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,  # noqa: N803
                   cover_all: bool = False, dilate: Any = 1, groups: int = 1) -> Variable:
    """1-dimensional convolution: :func:`convolution_nd` on an input ``(N, C, L)``.

    Args:
        x: Input of shape ``(N, C, L)``.
        W: Filter of shape ``(O, C / groups, k)``.
        b: Bias of shape ``(O,)``, or ``None``.
        stride: Stride.
        pad: Zero padding on both sides.
        cover_all: Add windows so that every input element is covered.
        dilate: Dilation of the filter.
        groups: Number of channel groups.
    """
    return _convolution('convolution_1d', 1, x, W, b, stride, pad, cover_all, dilate, groups)


def convolution_3d(x: Any, W: Any, b: Any = None, stride: Any = 1, pad: Any = 0,  # noqa: N803
                   cover_all: bool = False, dilate: Any = 1, groups: int = 1) -> Variable:
    """3-dimensional convolution: :func:`convolution_nd` on an input ``(N, C, D, H, W)``.

    Args:
        x: Input of shape ``(N, C, D, H, W)``.
        W: Filter of shape ``(O, C / groups, kd, kh, kw)``.
        b: Bias of shape ``(O,)``, or ``None``.
        stride: Stride: an int or a triple.
        pad: Zero padding on both sides: an int or a triple.
        cover_all: Add windows so that every input element is covered.
        dilate: Dilation of the filter: an int or a triple.
        groups: Number of channel groups.
    """
    return _convolution('convolution_3d', 3, x, W, b, stride, pad, cover_all, dilate, groups)
