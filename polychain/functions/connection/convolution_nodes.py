"""The nodes of N-dimensional convolution: ConvolutionND, DeconvolutionND and the filter
gradient ConvolutionNDGradW.

They differentiate into each other (the input gradient of a convolution is a deconvolution
and the other way round; the filter gradient's own gradients are both), so they live in one
module; ``convolution_nd`` and ``deconvolution_nd`` give the public functions.
"""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.connection.convolution_compute import (
    add_bias,
    convolve,
    convolve_transpose,
    filter_grad,
)
from polychain.functions.connection.convolution_geometry import (
    ConvolutionSpec,
    check_bias,
    check_filter,
    check_outsize,
)
from polychain.functions.math.sum import sum as sum_
from polychain.utils.type_check import InvalidType, expect_count
from polychain.utils.windows import as_tuple
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
        return deconvolve(gy, w, None, self.spec, tuple(x.shape[2:]), self.function)

    def _grad_w(self, x: Variable, w: Variable, gy: Variable) -> Variable:
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
        return ConvolutionNDGradW(self.spec, self.cover_all, tuple(w.shape),
                                  self.function, w.dtype).apply((gy, x))[0]


def deconvolve(x: Any, W: Any, b: Any, spec: ConvolutionSpec,  # noqa: N803
               outsize: tuple[int, ...] | None, function: str,
               node_class: type[DeconvolutionND] = DeconvolutionND) -> Variable:
    """Applies :class:`DeconvolutionND` (or ``node_class``) with normalised arguments."""
    inputs = (x, W) if b is None else (x, W, b)
    return node_class.of(spec, outsize, function).apply(inputs)[0]


class ConvolutionNDGradW(FunctionNode):
    """``gW`` (O, C / groups, *k) of a convolution, from its input ``x`` and output gradient ``gy``.

    Its own gradients are a deconvolution (for ``x``) and a convolution (for ``gy``)
    by the incoming filter gradient, so convolutions are differentiable twice.
    """

    _retain_input_indexes = (0, 1)

    def __init__(self, spec: ConvolutionSpec, cover_all: bool, w_shape: tuple[int, ...],
                 function: str, w_dtype: Any) -> None:
        self.spec = spec
        self.cover_all = cover_all
        self.w_shape = w_shape
        self.w_dtype = w_dtype
        self.function = function

    @property
    def label(self) -> str:
        return f'{self.function}_grad_w'

    def forward(self, inputs):
        x, gy = inputs
        geometry = self.spec.geometry(tuple(x.shape[2:]), self.w_shape[2:], self.cover_all)
        return filter_grad(self.device, x, gy, self.spec, geometry, self.w_dtype),

    def backward(self, indexes, grad_outputs):
        ggw, = grad_outputs
        x, gy = self.get_retained_inputs()
        grads = []
        for i in indexes:
            if i == 0:
                grads.append(deconvolve(gy, ggw, None, self.spec, tuple(x.shape[2:]),
                                        self.function))
            else:
                grads.append(convolve_variables(x, ggw, None, self.spec, self.cover_all,
                                                self.function))
        return tuple(grads)
