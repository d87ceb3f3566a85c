"""The gradient of a convolution with respect to its filter, as a differentiable function."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.connection.convolution_compute import filter_grad
from polychain.functions.connection.convolution_geometry import ConvolutionSpec


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
        from polychain.functions.connection.convolution_nd import convolve_variables
        from polychain.functions.connection.deconvolution_nd import deconvolve
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
