"""square and rsqrt."""

from __future__ import annotations

from typing import Any

from polychain.functions.math.unary import UnaryFunction
from polychain.variable import Variable


class Square(UnaryFunction):
    array_function = 'square'
    _retain_input_indexes = (0,)

    def derivative(self):
        return self.get_retained_inputs()[0] * 2.0


class Rsqrt(UnaryFunction):
    _retain_output_indexes = (0,)

    def forward(self, inputs):
        return 1.0 / self.xp.sqrt(inputs[0]),

    def derivative(self):
        y, = self.get_retained_outputs()
        return y * y * y * -0.5


def square(x: Any) -> Variable:
    """Elementwise square ``x * x``.

    Args:
        x: Input variable or array.
    """
    return Square().apply((x,))[0]


def rsqrt(x: Any) -> Variable:
    """Elementwise reciprocal square root ``1 / sqrt(x)``.

    Args:
        x: Input variable or array with positive values.
    """
    return Rsqrt().apply((x,))[0]
