"""ndtr: the cumulative distribution function of the standard normal distribution."""

from __future__ import annotations

import math
from typing import Any

from polychain.backend import kernels
from polychain.functions.math.exponential import exp
from polychain.functions.math.special import UnarySpecial
from polychain.functions.math.special_generic import generic_ndtr
from polychain.variable import Variable

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


class Ndtr(UnarySpecial):
    """``ndtr(x)``; its derivative is the normal density ``exp(-x^2 / 2) / sqrt(2 pi)``."""

    kernel_name = kernels.ndtr

    def generic(self, x):
        return generic_ndtr(self.xp, x)

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * exp(x * x * -0.5) * _INV_SQRT_2PI,


def ndtr(x: Any) -> Variable:
    """Elementwise cumulative distribution function of the standard normal distribution.

    Args:
        x: Input variable or array of floating dtype.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return Ndtr().apply((x,))[0]
