"""polygamma: the derivatives of the digamma function, of elementwise integer orders."""

from __future__ import annotations

from typing import Any

from polychain.backend import kernels
from polychain.function_node import FunctionNode
from polychain.functions.math.special_generic import at_least_float32, generic_polygamma_orders
from polychain.utils.type_check import InvalidType, expect_float
from polychain.variable import Variable


class PolyGamma(FunctionNode):
    """``polygamma(n, x)``: the ``n``-th derivative of digamma; differentiable in ``x`` only."""

    _retain_input_indexes = (0, 1)

    def check_type_forward(self, in_types):
        n, x = in_types
        if not self.xp.isdtype(n.dtype, 'integral'):
            raise InvalidType('n.dtype.kind == "i"', f'n.dtype == {n.dtype}')
        expect_float(self.xp, x, 'x')

    def forward(self, inputs):
        n, x = inputs
        kernel = self.device.kernel(kernels.polygamma)
        if kernel is not None:
            return kernel(n, x),
        return at_least_float32(self.xp, x, lambda v: generic_polygamma_orders(self.xp, n, v)),

    def backward(self, indexes, grad_outputs):
        n, x = self.get_retained_inputs()
        return None, polygamma(n.array + 1, x) * grad_outputs[0]


def polygamma(n: Any, x: Any) -> Variable:
    """Elementwise polygamma function: the ``n``-th derivative of :func:`digamma`.

    Args:
        n: Variable or array of non-negative integer orders.
        x: Input variable or array of floating dtype.

    Returns:
        A variable of the broadcast shape and the dtype of ``x``.
    """
    return PolyGamma().apply((n, x))[0]
