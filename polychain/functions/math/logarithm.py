"""expm1 and the logarithms log1p, log2 and log10."""

from __future__ import annotations

import math
from typing import Any

from polychain.functions.math.unary import UnaryFunction
from polychain.variable import Variable


class Expm1(UnaryFunction):
    array_function = 'expm1'
    _retain_output_indexes = (0,)

    def derivative(self):
        return self.get_retained_outputs()[0] + 1.0


class Log1p(UnaryFunction):
    array_function = 'log1p'
    _retain_input_indexes = (0,)

    def derivative(self):
        return 1.0 / (self.get_retained_inputs()[0] + 1.0)


class Log2(UnaryFunction):
    array_function = 'log2'
    _retain_input_indexes = (0,)

    def derivative(self):
        return (1.0 / math.log(2.0)) / self.get_retained_inputs()[0]


class Log10(UnaryFunction):
    array_function = 'log10'
    _retain_input_indexes = (0,)

    def derivative(self):
        return (1.0 / math.log(10.0)) / self.get_retained_inputs()[0]


def expm1(x: Any) -> Variable:
    """Elementwise ``exp(x) - 1``, accurate for small ``x``.

    Args:
        x: Input variable or array.
    """
    return Expm1().apply((x,))[0]


def log1p(x: Any) -> Variable:
    """Elementwise ``log(1 + x)``, accurate for small ``x``.

    Args:
        x: Input variable or array with values above -1.
    """
    return Log1p().apply((x,))[0]


def log2(x: Any) -> Variable:
    """Elementwise base-2 logarithm.

    Args:
        x: Input variable or array with positive values.
    """
    return Log2().apply((x,))[0]


def log10(x: Any) -> Variable:
    """Elementwise base-10 logarithm.

    Args:
        x: Input variable or array with positive values.
    """
    return Log10().apply((x,))[0]
