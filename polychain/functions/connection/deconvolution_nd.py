"""deconvolution_nd and its 1-D and 3-D forms: N-dimensional transposed convolution."""

from __future__ import annotations

from typing import Any

from polychain.functions.connection.convolution_compute import add_bias, convolve_transpose
from polychain.functions.connection.convolution_geometry import (
    ConvolutionSpec,
    check_bias,
    check_filter,
)
from polychain.functions.connection.convolution_nd import (
    ConnectionNodeBase,
    convolve_variables,
    parse_nd_spec,
)
from polychain.utils.type_check import InvalidType, expect_count
from polychain.utils.windows import as_tuple
from polychain.variable import Variable


class DeconvolutionND(ConnectionNodeBase):
    """Deconvolution of ``x`` (N, C, *in) by ``W`` (C, O / groups, *k) plus an optional ``b``.

    The adjoint of the convolution by ``W`` of an input of spatial shape
    ``outsize``; ``cover_all`` of that convolution follows from ``outsize``.

    Args:
        ndim: Number of spatial axes.
        stride: Stride: an int or ``ndim`` ints.
        pad: Padding cropped from both sides: an int or ``ndim`` ints.
        outsize: Spatial output shape, or ``None`` for the default one.
        dilate: Dilation of the filter: an int or ``ndim`` ints.
        groups: Number of channel groups.
    """

    default_function = 'deconvolution_nd'

    def __init__(self, ndim: int, stride: Any = 1, pad: Any = 0, outsize: Any = None,
                 dilate: Any = 1, groups: int = 1) -> None:
        function = self.default_function
        super().__init__(ConvolutionSpec.parse(ndim, stride, pad, dilate, groups, function),
                         function)
        self.outsize = None if outsize is None else as_tuple(outsize, ndim, function, 'outsize')

    @classmethod
    def of(cls, spec: ConvolutionSpec, outsize: tuple[int, ...] | None,
           function: str) -> DeconvolutionND:
        """A node of already parsed arguments; errors name ``function``."""
        node = cls.__new__(cls)
        ConnectionNodeBase.__init__(node, spec, function)
        node.outsize = outsize
        return node

    def _output_size(self, in_size: tuple[int, ...], ksize: tuple[int, ...]) -> tuple[int, ...]:
        if self.outsize is not None:
            return self.outsize
        outsize = self.spec.deconv_outsize(in_size, ksize)
        if min(outsize, default=1) < 1:
            # Chainer asserts that the estimated size is positive.
            raise AssertionError(f'{self.function}: the estimated outsize {outsize} (stride='
                                 f'{self.spec.stride}, pad={self.spec.pad}, ksize={ksize}) is '
                                 f'not positive; give outsize or less padding')
        return outsize

    def check_type_forward(self, in_types):
        expect_count(in_types, (2, 3))
        x, w = in_types[:2]
        spec = self.spec
        check_filter(self.xp, self.function, x, w, 0, spec.ndim, spec.groups)
        if len(in_types) == 3:
            check_bias(self.function, in_types[2], w.shape[1] * spec.groups, x.dtype)
        in_size, ksize = tuple(x.shape[2:]), tuple(w.shape[2:])
        outsize = self._output_size(in_size, ksize)
        cover_all = spec.conv_outsize(outsize, ksize, False) != in_size
        if min(outsize) < 1 or spec.conv_outsize(outsize, ksize, cover_all) != in_size:
            raise InvalidType(
                f'a positive outsize whose convolution (stride={spec.stride}, pad={spec.pad}, '
                f'dilate={spec.dilate}, ksize={ksize}), with cover_all on all axes or none, '
                f'has the spatial shape {in_size} of x in {self.function}',
                f'outsize == {outsize}')

    def forward(self, inputs):
        x, w = inputs[:2]
        in_size, ksize = tuple(x.shape[2:]), tuple(w.shape[2:])
        outsize = self._output_size(in_size, ksize)
        self.cover_all = self.spec.conv_outsize(outsize, ksize, False) != in_size
        geometry = self.spec.geometry(outsize, ksize, self.cover_all)
        y = convolve_transpose(self.device, x, w, self.spec, geometry)
        if len(inputs) == 3:
            y = add_bias(self.xp, y, inputs[2])
        return y,

    def _grad_x(self, x: Variable, w: Variable, gy: Variable) -> Variable:
        return convolve_variables(gy, w, None, self.spec, self.cover_all, self.function)

    def _grad_w(self, x: Variable, w: Variable, gy: Variable) -> Variable:
        from polychain.functions.connection.convolution_grad_w import ConvolutionNDGradW
        return ConvolutionNDGradW(self.spec, self.cover_all, tuple(w.shape),
                                  self.function, w.dtype).apply((gy, x))[0]


def deconvolve(x: Any, W: Any, b: Any, spec: ConvolutionSpec,  # noqa: N803
               outsize: tuple[int, ...] | None, function: str,
               node_class: type[DeconvolutionND] = DeconvolutionND) -> Variable:
    """Applies :class:`DeconvolutionND` (or ``node_class``) with normalised arguments."""
    inputs = (x, W) if b is None else (x, W, b)
    return node_class.of(spec, outsize, function).apply(inputs)[0]


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
