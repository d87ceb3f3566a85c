"""erfcx: the scaled complementary error function ``exp(x^2) erfc(x)``."""

from __future__ import annotations

import math
from typing import Any

from polychain.backend import kernels
from polychain.functions.math.special import UnarySpecial
from polychain.functions.math.special_generic import generic_erfcx
from polychain.variable import Variable

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Erfcx(UnarySpecial):
    """``erfcx(x)``; its derivative is ``2 x erfcx(x) - 2 / sqrt(pi)``."""

    kernel_name = kernels.erfcx
    _retain_output_indexes = (0,)

    def generic(self, x):
        return generic_erfcx(self.xp, x)

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        return grad_outputs[0] * (2.0 * x * y - _TWO_OVER_SQRT_PI),


def erfcx(x: Any) -> Variable:
    """Elementwise scaled complementary error function ``exp(x^2) erfc(x)``, without overflow
    for large ``x``.

    Args:
        x: Input variable or array of floating dtype.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return Erfcx().apply((x,))[0]
