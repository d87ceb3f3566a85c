"""gelu: the Gaussian error linear unit, exact or with the tanh approximation."""

from __future__ import annotations

import math
from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.activation.tanh import tanh
from polychain.functions.math.erf import erf, erf_array
from polychain.functions.math.exponential import exp
from polychain.variable import Variable

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_APPROXIMATIONS = ('none', 'tanh')


class GELU(FunctionNode):
    """x * Phi(x) with Phi the standard normal CDF, through erf."""

    _retain_input_indexes = (0,)

    def forward(self, inputs):
        x, = inputs
        return x * (erf_array(self.device, x * _SQRT_HALF) * 0.5 + 0.5),

    def backward(self, indexes, grad_outputs):
        # d/dx x Phi(x) = Phi(x) + x phi(x)
        x, = self.get_retained_inputs()
        cdf = erf(x * _SQRT_HALF) * 0.5 + 0.5
        pdf = exp(x * x * -0.5) * _INV_SQRT_2PI
        return grad_outputs[0] * (cdf + x * pdf),


def _gelu_tanh(x: Any) -> Variable:
    inner = (x + x * x * x * 0.044715) * _SQRT_2_OVER_PI
    return (tanh(inner) + 1.0) * x * 0.5


def gelu(x: Any, approximate: str = 'none') -> Variable:
    """Gaussian error linear unit, ``x * Phi(x)`` with ``Phi`` the standard normal CDF.

    Args:
        x: Input variable or array of floating dtype.
        approximate: ``'none'`` for the exact function (through ``erf``), or
            ``'tanh'`` for ``0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))``.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    if approximate == 'none':
        return GELU().apply((x,))[0]
    if approximate == 'tanh':
        return _gelu_tanh(x)
    raise ValueError(f'gelu: expected approximate to be one of {_APPROXIMATIONS}, received '
                     f'{approximate!r}')
