"""clip: limits values to an interval."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.utils.type_check import expect_float
from polychain.variable import Variable


class Clip(FunctionNode):
    """Clips to ``[x_min, x_max]``; the gradient passes where ``x_min <= x <= x_max``."""

    _retain_input_indexes = (0,)

    def __init__(self, x_min: float | None, x_max: float | None) -> None:
        self.x_min = x_min
        self.x_max = x_max

    def check_type_forward(self, in_types):
        expect_float(self.xp, in_types[0], 'x')

    def forward(self, inputs):
        return self.xp.clip(inputs[0], self.x_min, self.x_max),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        xp = self.xp
        inside = xp.ones_like(x.array, dtype=xp.bool)
        if self.x_min is not None:
            inside = inside & (x.array >= self.x_min)
        if self.x_max is not None:
            inside = inside & (x.array <= self.x_max)
        return grad_outputs[0] * xp.astype(inside, x.dtype),


def clip(x: Any, x_min: float | None, x_max: float | None) -> Variable:
    """Clips (limits) the elements of ``x`` to ``[x_min, x_max]``.

    The gradient at ``x_min`` and ``x_max`` is taken as 1.

    Args:
        x: Input variable or array (floating point).
        x_min: Minimum value, or ``None`` for no lower bound.
        x_max: Maximum value, or ``None`` for no upper bound.

    Raises:
        ValueError: Both bounds are ``None``, or ``x_min >= x_max``.
    """
    if x_min is None and x_max is None:
        raise ValueError('clip: expected x_min or x_max to be set, received None for both')
    if x_min is not None and x_max is not None and x_min >= x_max:
        raise ValueError(f'clip: expected x_min < x_max, received x_min={x_min}, '
                         f'x_max={x_max}')
    return Clip(x_min, x_max).apply((x,))[0]
