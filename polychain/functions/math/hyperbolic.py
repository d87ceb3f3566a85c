"""Hyperbolic functions: sinh, cosh and the inverse hyperbolic tangent."""

from __future__ import annotations

from typing import Any

from polychain.functions.math.unary import UnaryFunction
from polychain.variable import Variable


class Sinh(UnaryFunction):
    array_function = 'sinh'
    _retain_input_indexes = (0,)

    def derivative(self):
        return cosh(self.get_retained_inputs()[0])


class Cosh(UnaryFunction):
    array_function = 'cosh'
    _retain_input_indexes = (0,)

    def derivative(self):
        return sinh(self.get_retained_inputs()[0])


class Arctanh(UnaryFunction):
    array_function = 'atanh'
    _retain_input_indexes = (0,)

    def derivative(self):
        x, = self.get_retained_inputs()
        return 1.0 / (1.0 - x * x)


def sinh(x: Any) -> Variable:
    """Elementwise hyperbolic sine.

    Args:
        x: Input variable or array.
    """
    return Sinh().apply((x,))[0]


def cosh(x: Any) -> Variable:
    """Elementwise hyperbolic cosine.

    Args:
        x: Input variable or array.
    """
    return Cosh().apply((x,))[0]


def arctanh(x: Any) -> Variable:
    """Elementwise inverse hyperbolic tangent.

    Args:
        x: Input variable or array with values in ``(-1, 1)``.
    """
    return Arctanh().apply((x,))[0]
