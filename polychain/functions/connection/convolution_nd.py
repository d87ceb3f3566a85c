"""convolution_nd and its 1-D and 3-D forms: N-dimensional convolution."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.connection.convolution_compute import add_bias, convolve
from polychain.functions.connection.convolution_geometry import (
    ConvolutionSpec,
    check_bias,
    check_filter,
    check_outsize,
)
from polychain.functions.math.sum import sum as sum_
from polychain.utils.type_check import expect_count
from polychain.variable import Variable


class ConnectionNodeBase(FunctionNode):
    """Base of the (de)convolution nodes: input ``x``, filter ``W`` and an optional bias ``b``.

    Subclasses give the gradients of ``x`` and ``W``; the bias gradient sums
    ``gy`` over the batch and spatial axes.

    Args:
        spec: Stride, padding, dilation and groups.
        function: Name of the public function, used as label and in error messages.
    """

    _retain_input_indexes = (0, 1)

    def __init__(self, spec: ConvolutionSpec, function: str) -> None:
        self.spec = spec
        self.function = function

    @property
    def label(self) -> str:
        return self.function

    def _grad_x(self, x: Variable, w: Variable, gy: Variable) -> Variable:
        """The gradient of the input; each connection node (convolution, deconvolution) gives it."""
        raise NotImplementedError(f'{type(self).__name__} must implement _grad_x')

    def _grad_w(self, x: Variable, w: Variable, gy: Variable) -> Variable:
        """The gradient of the filter; each connection node gives it."""
        raise NotImplementedError(f'{type(self).__name__} must implement _grad_w')

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        x, w = self.get_retained_inputs()
        grads = []
        for i in indexes:
            if i == 0:
                grads.append(self._grad_x(x, w, gy))
            elif i == 1:
                grads.append(self._grad_w(x, w, gy))
            else:
                grads.append(sum_(gy, axis=(0,) + tuple(range(2, gy.ndim))))
        return tuple(grads)


class ConvolutionND(ConnectionNodeBase):
    """Convolution of ``x`` (N, C, *in) by ``W`` (O, C / groups, *k) plus an optional ``b``.

    Args:
        ndim: Number of spatial axes.
        stride: Stride: an int or ``ndim`` ints.
        pad: Zero padding: an int or ``ndim`` ints.
        cover_all: Add windows so that every input element is covered.
        dilate: Dilation of the filter: an int or ``ndim`` ints.
        groups: Number of channel groups.
    """

    default_function = 'convolution_nd'

    def __init__(self, ndim: int, stride: Any = 1, pad: Any = 0, cover_all: bool = False,
                 dilate: Any = 1, groups: int = 1) -> None:
        function = self.default_function
        super().__init__(ConvolutionSpec.parse(ndim, stride, pad, dilate, groups, function),
                         function)
        self.cover_all = bool(cover_all)

    @classmethod
    def of(cls, spec: ConvolutionSpec, cover_all: bool, function: str) -> ConvolutionND:
        """A node of already parsed arguments; errors name ``function``."""
        node = cls.__new__(cls)
        ConnectionNodeBase.__init__(node, spec, function)
        node.cover_all = cover_all
        return node

    def check_type_forward(self, in_types):
        expect_count(in_types, (2, 3))
        x, w = in_types[:2]
        check_filter(self.xp, self.function, x, w, 1, self.spec.ndim, self.spec.groups)
        if len(in_types) == 3:
            check_bias(self.function, in_types[2], w.shape[0], x.dtype)

    def forward(self, inputs):
        x, w = inputs[:2]
        geometry = self.spec.geometry(tuple(x.shape[2:]), tuple(w.shape[2:]), self.cover_all)
        y = convolve(self.device, x, w, self.spec, geometry)
        if len(inputs) == 3:
            y = add_bias(self.xp, y, inputs[2])
        return y,

    def _grad_x(self, x: Variable, w: Variable, gy: Variable) -> Variable:
        from polychain.functions.connection.deconvolution_nd import deconvolve
        return deconvolve(gy, w, None, self.spec, tuple(x.shape[2:]), self.function)

    def _grad_w(self, x: Variable, w: Variable, gy: Variable) -> Variable:
        from polychain.functions.connection.convolution_grad_w import ConvolutionNDGradW
        return ConvolutionNDGradW(self.spec, self.cover_all, tuple(w.shape),
                                  self.function, w.dtype).apply((x, gy))[0]


def convolve_variables(x: Any, W: Any, b: Any, spec: ConvolutionSpec,  # noqa: N803
                       cover_all: bool, function: str,
                       node_class: type[ConvolutionND] = ConvolutionND) -> Variable:
    """Applies :class:`ConvolutionND` (or ``node_class``) after checking that the output is
    not empty."""
    if x.ndim == spec.ndim + 2 and W.ndim == spec.ndim + 2:
        check_outsize(function, spec.conv_outsize(tuple(x.shape[2:]), tuple(W.shape[2:]),
                                                  cover_all))
    inputs = (x, W) if b is None else (x, W, b)
    return node_class.of(spec, bool(cover_all), function).apply(inputs)[0]


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
