"""log_ndtr: the logarithm of the standard normal cumulative distribution function."""

from __future__ import annotations

import math
from typing import Any

from polychain.backend import kernels
from polychain.functions.math.erfcx import erfcx
from polychain.functions.math.special import UnarySpecial
from polychain.functions.math.special_generic import generic_log_ndtr
from polychain.variable import Variable

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_SQRT_HALF = math.sqrt(0.5)


class LogNdtr(UnarySpecial):
    """``log(ndtr(x))``; its derivative ``sqrt(2 / pi) / erfcx(-x / sqrt(2))`` stays finite in
    both tails."""

    kernel_name = kernels.log_ndtr

    def generic(self, x):
        return generic_log_ndtr(self.xp, x)

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * _SQRT_2_OVER_PI / erfcx(x * -_SQRT_HALF),


def log_ndtr(x: Any) -> Variable:
    """Elementwise logarithm of the standard normal cumulative distribution function, accurate
    where ``ndtr(x)`` underflows.

    Args:
        x: Input variable or array of floating dtype.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return LogNdtr().apply((x,))[0]
