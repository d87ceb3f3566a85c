"""Special functions: erfc, erfinv, lgamma and digamma (erf lives in :mod:`.erf`), and the
base of the elementwise special functions of their own modules (ndtr, erfcx, ...).

Each uses the device's kernel of the same name when its backend has one
(SciPy, ``jax.scipy.special``, ``cupyx.scipy.special``) and otherwise the
generic Array API evaluation of :mod:`.special_generic`.
"""

from __future__ import annotations

import math
from typing import Any

from polychain.backend import kernels
from polychain.function_node import FunctionNode
from polychain.functions.math.erf import erf_array
from polychain.functions.math.exponential import exp
from polychain.functions.math.special_generic import (
    at_least_float32,
    generic_erfc,
    generic_erfinv,
    generic_lgamma,
    generic_polygamma,
)
from polychain.variable import Variable

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class UnarySpecial(FunctionNode):
    """Base of the elementwise special functions: forward by the device kernel
    :attr:`kernel_name`, else by :meth:`generic` (in float32 at least)."""

    kernel_name = ''
    _retain_input_indexes = (0,)

    def forward(self, inputs):
        x, = inputs
        kernel = self.device.kernel(self.kernel_name)
        if kernel is not None:
            return kernel(x),
        return at_least_float32(self.xp, x, self.generic),

    def generic(self, x: Any) -> Any:
        raise NotImplementedError(f'{self.label} must implement generic()')


class Erfc(UnarySpecial):
    kernel_name = kernels.erfc

    def generic(self, x):
        return generic_erfc(self.xp, x)

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * exp(-(x * x)) * -_TWO_OVER_SQRT_PI,


class ErfInv(UnarySpecial):
    kernel_name = kernels.erfinv
    _retain_input_indexes = None
    _retain_output_indexes = (0,)

    def generic(self, x):
        return generic_erfinv(self.xp, x, lambda v: erf_array(self.device, v))

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * exp(y * y) * (math.sqrt(math.pi) / 2.0),


class LGamma(UnarySpecial):
    kernel_name = kernels.lgamma

    def generic(self, x):
        return generic_lgamma(self.xp, x)

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * digamma(x),


class Polygamma(FunctionNode):
    """The ``n``-th derivative of digamma (``n = 0``: digamma itself)."""

    _retain_input_indexes = (0,)

    def __init__(self, n: int) -> None:
        self.n = n

    def forward(self, inputs):
        x, = inputs
        if self.n == 0:
            kernel = self.device.kernel(kernels.digamma)
            if kernel is not None:
                return kernel(x),
        else:
            kernel = self.device.kernel(kernels.polygamma)
            if kernel is not None:
                return kernel(self.n, x),
        return at_least_float32(self.xp, x, lambda v: generic_polygamma(self.xp, self.n, v)),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * Polygamma(self.n + 1).apply((x,))[0],


def erfc(x: Any) -> Variable:
    """Elementwise complementary error function ``1 - erf(x)``, accurate for large ``x``.

    Args:
        x: Input variable or array.
    """
    return Erfc().apply((x,))[0]


def erfinv(x: Any) -> Variable:
    """Elementwise inverse error function (``inf`` at 1, ``-inf`` at -1).

    Args:
        x: Input variable or array with values in ``[-1, 1]``.
    """
    return ErfInv().apply((x,))[0]


def lgamma(x: Any) -> Variable:
    """Elementwise logarithm of the absolute value of the gamma function.

    Args:
        x: Input variable or array.
    """
    return LGamma().apply((x,))[0]


def digamma(x: Any) -> Variable:
    """Elementwise digamma function, the derivative of :func:`lgamma`.

    Args:
        x: Input variable or array.
    """
    return Polygamma(0).apply((x,))[0]
