"""erfcinv: the inverse of the complementary error function."""

from __future__ import annotations

import math
from typing import Any

from polychain.backend import kernels
from polychain.functions.math.erf import erf_array
from polychain.functions.math.exponential import exp
from polychain.functions.math.special import UnarySpecial
from polychain.functions.math.special_generic import generic_erfinv
from polychain.variable import Variable

_HALF_SQRT_PI = math.sqrt(math.pi) / 2.0


class ErfcInv(UnarySpecial):
    """``erfcinv(x) = erfinv(1 - x)``; its derivative is ``-sqrt(pi) / 2 exp(y^2)``."""

    kernel_name = kernels.erfcinv
    _retain_input_indexes = None
    _retain_output_indexes = (0,)

    def generic(self, x):
        return generic_erfinv(self.xp, 1.0 - x, lambda v: erf_array(self.device, v))

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * exp(y * y) * -_HALF_SQRT_PI,


def erfcinv(x: Any) -> Variable:
    """Elementwise inverse complementary error function (``inf`` at 0, ``-inf`` at 2).

    Args:
        x: Input variable or array with values in ``[0, 2]``.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return ErfcInv().apply((x,))[0]
