"""where: chooses elements from two variables by a boolean condition."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import sum_to
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


class Where(FunctionNode):
    """``x`` where the condition holds, ``y`` elsewhere (broadcasting)."""

    def forward(self, inputs):
        condition, x, y = inputs
        xp = self.xp
        if condition.dtype != xp.bool:
            raise InvalidType('condition.dtype == bool', f'condition.dtype == {condition.dtype}')
        if x.dtype != y.dtype:
            raise InvalidType('x.dtype == y.dtype', f'{x.dtype} != {y.dtype}')
        try:
            numpy.broadcast_shapes(condition.shape, x.shape, y.shape)
        except ValueError:
            raise InvalidType('condition, x and y of shapes that broadcast together',
                              f'{tuple(condition.shape)}, {tuple(x.shape)}, '
                              f'{tuple(y.shape)}') from None
        self._condition = condition
        self._shapes = tuple(x.shape), tuple(y.shape)
        return xp.where(condition, x, y),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        zeros = self.xp.zeros((), dtype=gy.dtype, device=self.device.native)
        gx = where(self._condition, gy, zeros) if 1 in indexes else None
        gz = where(self._condition, zeros, gy) if 2 in indexes else None
        return (None,
                None if gx is None else sum_to(gx, self._shapes[0]),
                None if gz is None else sum_to(gz, self._shapes[1]))


def where(condition: Any, x: Any, y: Any) -> Variable:
    """Chooses elements from ``x`` where ``condition`` is true and from ``y`` elsewhere.

    Args:
        condition: Boolean array or Variable (not differentiated).
        x: Input variable or array.
        y: Input variable or array of the dtype of ``x``.

    The three arguments broadcast against each other.
    """
    if isinstance(condition, Variable):
        condition = condition.array
    return Where().apply((condition, x, y))[0]
