"""ndtri: the inverse of the standard normal cumulative distribution function."""

from __future__ import annotations

import math
from typing import Any

from polychain.backend import kernels
from polychain.functions.math.erf import erf_array
from polychain.functions.math.exponential import exp
from polychain.functions.math.special import UnarySpecial
from polychain.functions.math.special_generic import generic_erfinv
from polychain.variable import Variable

_SQRT_2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)


class Ndtri(UnarySpecial):
    """``ndtri(p) = sqrt(2) erfinv(2 p - 1)``; its derivative is ``sqrt(2 pi) exp(y^2 / 2)``."""

    kernel_name = kernels.ndtri
    _retain_input_indexes = None
    _retain_output_indexes = (0,)

    def generic(self, x):
        return _SQRT_2 * generic_erfinv(self.xp, 2.0 * x - 1.0,
                                        lambda v: erf_array(self.device, v))

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * exp(y * y * 0.5) * _SQRT_2PI,


def ndtri(x: Any) -> Variable:
    """Elementwise inverse of :func:`ndtr`, the standard normal quantile function.

    Args:
        x: Input variable or array with values in ``[0, 1]``.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return Ndtri().apply((x,))[0]
