"""erf: the Gauss error function, from a backend kernel or a generic Array API evaluation."""

from __future__ import annotations

from typing import Any

from polychain.backend import kernels
from polychain.function_node import FunctionNode
from polychain.functions.math.exponential import exp
from polychain.functions.math.special_generic import (
    TWO_OVER_SQRT_PI,
    at_least_float32,
    generic_erf,
)
from polychain.variable import Variable


def erf_array(device: Any, x: Any) -> Any:
    """``erf(x)`` on ``device``: its backend's :data:`~polychain.backend.kernels.erf`
    kernel, or :func:`generic_erf`."""
    kernel = device.kernel(kernels.erf)
    if kernel is not None:
        return kernel(x)
    return at_least_float32(device.namespace, x, lambda v: generic_erf(device.namespace, v))


class Erf(FunctionNode):
    """The Gauss error function; its derivative is ``2/sqrt(pi) exp(-x^2)``."""

    _retain_input_indexes = (0,)

    def forward(self, inputs):
        return erf_array(self.device, inputs[0]),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * exp(-(x * x)) * TWO_OVER_SQRT_PI,


def erf(x: Any) -> Variable:
    """Elementwise Gauss error function ``erf(x) = 2/sqrt(pi) int_0^x exp(-t^2) dt``.

    Args:
        x: Input variable or array of floating dtype.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return Erf().apply((x,))[0]
