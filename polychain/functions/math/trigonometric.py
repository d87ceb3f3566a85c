"""Trigonometric functions and their inverses."""

from __future__ import annotations

from typing import Any

from polychain.functions.math.basic_math import _BroadcastingBinary
from polychain.functions.math.unary import UnaryFunction
from polychain.variable import Variable


class Sin(UnaryFunction):
    label = 'sin'
    array_function = 'sin'
    _retain_input_indexes = (0,)

    def derivative(self):
        return cos(self.get_retained_inputs()[0])


class Cos(UnaryFunction):
    label = 'cos'
    array_function = 'cos'
    _retain_input_indexes = (0,)

    def derivative(self):
        return -sin(self.get_retained_inputs()[0])


class Tan(UnaryFunction):
    label = 'tan'
    array_function = 'tan'
    _retain_output_indexes = (0,)

    def derivative(self):
        y, = self.get_retained_outputs()
        return y * y + 1.0


class Arcsin(UnaryFunction):
    label = 'arcsin'
    array_function = 'asin'
    _retain_input_indexes = (0,)

    def derivative(self):
        from polychain.functions.math.power import rsqrt
        x, = self.get_retained_inputs()
        return rsqrt(1.0 - x * x)


class Arccos(UnaryFunction):
    label = 'arccos'
    array_function = 'acos'
    _retain_input_indexes = (0,)

    def derivative(self):
        from polychain.functions.math.power import rsqrt
        x, = self.get_retained_inputs()
        return -rsqrt(1.0 - x * x)


class Arctan(UnaryFunction):
    label = 'arctan'
    array_function = 'atan'
    _retain_input_indexes = (0,)

    def derivative(self):
        x, = self.get_retained_inputs()
        return 1.0 / (x * x + 1.0)


class Arctan2(_BroadcastingBinary):
    _retain_input_indexes = (0, 1)

    def forward(self, inputs):
        self.operator = self.xp.atan2
        return super().forward(inputs)

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        x1, x2 = self.get_retained_inputs()
        scale = gy / (x1 * x1 + x2 * x2)
        return tuple([self._reduce(scale * x2 if i == 0 else -scale * x1, i) for i in indexes])


def sin(x: Any) -> Variable:
    """Elementwise sine.

    Args:
        x: Input variable or array.
    """
    return Sin().apply((x,))[0]


def cos(x: Any) -> Variable:
    """Elementwise cosine.

    Args:
        x: Input variable or array.
    """
    return Cos().apply((x,))[0]


def tan(x: Any) -> Variable:
    """Elementwise tangent.

    Args:
        x: Input variable or array.
    """
    return Tan().apply((x,))[0]


def arcsin(x: Any) -> Variable:
    """Elementwise inverse sine.

    Args:
        x: Input variable or array with values in ``[-1, 1]``.
    """
    return Arcsin().apply((x,))[0]


def arccos(x: Any) -> Variable:
    """Elementwise inverse cosine.

    Args:
        x: Input variable or array with values in ``[-1, 1]``.
    """
    return Arccos().apply((x,))[0]


def arctan(x: Any) -> Variable:
    """Elementwise inverse tangent.

    Args:
        x: Input variable or array.
    """
    return Arctan().apply((x,))[0]


def arctan2(x1: Any, x2: Any) -> Variable:
    """Elementwise angle of the point ``(x2, x1)``: ``arctan(x1 / x2)`` in the right quadrant.

    Args:
        x1: The y-coordinates (variable or array).
        x2: The x-coordinates, broadcastable with ``x1`` and of the same dtype.
    """
    return Arctan2().apply((x1, x2))[0]
