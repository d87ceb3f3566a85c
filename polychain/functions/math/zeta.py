"""zeta: the Hurwitz zeta function, differentiable in its offset ``q``."""

from __future__ import annotations

from typing import Any

from polychain.backend import kernels
from polychain.function_node import FunctionNode
from polychain.functions.math.special_generic import at_least_float32, generic_zeta
from polychain.variable import Variable


class Zeta(FunctionNode):
    """``zeta(x, q) = sum_k (q + k)^-x`` of a constant ``x``; ``d/dq = -x zeta(x + 1, q)``."""

    _retain_input_indexes = (0,)

    def __init__(self, x: Any) -> None:
        self._x = x

    def forward(self, inputs):
        q, = inputs
        self._x = x = self.xp.astype(self._x, q.dtype)  # the output takes the dtype of q
        kernel = self.device.kernel(kernels.zeta)
        if kernel is not None:
            return kernel(x, q),
        return at_least_float32(self.xp, q, lambda v: generic_zeta(
            self.xp, self.xp.astype(x, v.dtype), v)),

    def backward(self, indexes, grad_outputs):
        q, = self.get_retained_inputs()
        return grad_outputs[0] * -self._x * zeta(self._x + 1.0, q),


def zeta(x: Any, q: Any) -> Variable:
    """Elementwise Hurwitz zeta function ``sum_{k >= 0} (q + k)^-x``.

    Args:
        x: The exponent: an array (not differentiated) with values above 1.
        q: Input variable or array of floating dtype with positive values.

    Returns:
        A variable of the broadcast shape and the dtype of ``q``.
    """
    return Zeta(x).apply((q,))[0]
