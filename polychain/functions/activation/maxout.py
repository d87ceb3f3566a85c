"""maxout: the maximum over groups of consecutive channels."""

from __future__ import annotations

import operator
from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.activation.axis_check import expect_axis_in_range
from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.reshape import reshape
from polychain.utils import type_check
from polychain.variable import Variable


class Maxout(FunctionNode):
    """Splits ``axis`` into (groups, pool_size) and takes the maximum over each pool.

    The gradient goes to every element equal to its pool's maximum.
    """

    _retain_input_indexes = (0,)
    _retain_output_indexes = (0,)

    def __init__(self, pool_size: int, axis: int = 1) -> None:
        self.pool_size = pool_size
        self.axis = axis

    def check_type_forward(self, in_types):
        x_type, = in_types
        expect_axis_in_range(x_type, self.axis)
        length = x_type.shape[self.axis]
        if length % self.pool_size:
            raise type_check.InvalidType('x.shape[axis] % pool_size == 0',
                                         f'x.shape[axis] == {length}, '
                                         f'pool_size == {self.pool_size}')

    def _pooled_shapes(self, shape: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The input shape with ``axis`` split into pools, and the output shape with a
        length-1 pool axis."""
        axis = self.axis % len(shape)
        head, tail = shape[:axis], shape[axis + 1:]
        groups = shape[axis] // self.pool_size
        return head + (groups, self.pool_size) + tail, head + (groups, 1) + tail

    def forward(self, inputs):
        x, = inputs
        shape = tuple(x.shape)
        pooled, _ = self._pooled_shapes(shape)
        axis = self.axis % len(shape)
        return self.xp.max(self.xp.reshape(x, pooled), axis=axis + 1),

    def backward(self, indexes, grad_outputs):
        xp = self.xp
        x = self._retained_input_data[0]
        y = self.output_data[0]
        shape = tuple(x.shape)
        pooled, kept = self._pooled_shapes(shape)
        is_max = xp.astype(xp.reshape(x, pooled) == xp.reshape(y, kept), x.dtype)
        gy = broadcast_to(reshape(grad_outputs[0], kept), pooled)
        return reshape(gy * is_max, shape),


def maxout(x: Any, pool_size: int, axis: int = 1) -> Variable:
    """Maxout: the maximum over each group of ``pool_size`` consecutive entries along ``axis``.

    Args:
        x: Input variable or array; its length along ``axis`` must be a
            multiple of ``pool_size``.
        pool_size: The number of entries in each group (a positive int).
        axis: The axis that is pooled.

    Returns:
        A variable whose length along ``axis`` is ``x.shape[axis] // pool_size``.
    """
    try:
        pool_size = operator.index(pool_size)
    except TypeError:
        raise TypeError(f'maxout: expected pool_size to be an int, received '
                        f'{type(pool_size).__name__}') from None
    if pool_size <= 0:
        raise ValueError(f'maxout: expected a positive pool_size, received {pool_size}')
    return Maxout(pool_size, axis).apply((x,))[0]
