"""broadcast, broadcast_to and the adjoint of broadcasting, sum_to."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.function_node import FunctionNode
from polychain.utils.array import sum_to as sum_array_to
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def _shape(shape: Any) -> tuple[int, ...]:
    return (shape,) if isinstance(shape, int) else tuple(shape)


class BroadcastTo(FunctionNode):
    """Broadcasts an array to a shape."""

    check_type_on_failure = True

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def check_type_forward(self, in_types):
        x_shape = tuple(in_types[0].shape)
        tail = self.shape[len(self.shape) - len(x_shape):] if x_shape else ()
        if len(x_shape) > len(self.shape) or \
                any(n not in (1, m) for n, m in zip(x_shape, tail)):
            raise InvalidType(f'x.shape broadcastable to {self.shape}',
                              f'x.shape == {x_shape}')

    def forward(self, inputs):
        x, = inputs
        self._in_shape = tuple(x.shape)
        return self.xp.broadcast_to(x, self.shape),

    def backward(self, indexes, grad_outputs):
        return sum_to(grad_outputs[0], self._in_shape),


class SumTo(FunctionNode):
    """Sums an array down to a shape it was broadcast from."""

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def forward(self, inputs):
        x, = inputs
        self._in_shape = tuple(x.shape)
        return sum_array_to(x, self.shape, self.xp),

    def backward(self, indexes, grad_outputs):
        return broadcast_to(grad_outputs[0], self._in_shape),


def broadcast_to(x: Any, shape: Any) -> Variable:
    """Broadcasts ``x`` to ``shape`` (NumPy rules).

    Args:
        x: Input variable or array.
        shape: Target shape.
    """
    shape = _shape(shape)
    if tuple(x.shape) == shape:
        return x if isinstance(x, Variable) else Variable(x)
    return BroadcastTo(shape).apply((x,))[0]


def sum_to(x: Any, shape: Any) -> Variable:
    """Sums the broadcast axes of ``x`` so that it has ``shape``.

    Args:
        x: Input variable or array.
        shape: Target shape; ``x.shape`` must be a broadcast of it.
    """
    shape = _shape(shape)
    if isinstance(x, Variable) and x.shape == shape:
        return x
    return SumTo(shape).apply((x,))[0]


def broadcast(*args: Any) -> Variable | tuple[Variable, ...]:
    """Broadcasts the arguments against each other (NumPy rules).

    Args:
        args: Input variables or arrays.

    Returns:
        One Variable per argument, all of the common shape (the Variable
        itself when there is one argument).

    Raises:
        InvalidType: No arguments, or shapes that do not broadcast.
    """
    if not args:
        raise InvalidType('broadcast: at least one input', 'no inputs')
    if len(args) == 1:
        x = args[0]
        return x if isinstance(x, Variable) else Variable(x)
    shapes = [tuple(x.shape) for x in args]
    try:
        shape = numpy.broadcast_shapes(*shapes)
    except ValueError:
        raise InvalidType('broadcast: shapes that broadcast together',
                          ', '.join(map(str, shapes))) from None
    return tuple(broadcast_to(x, shape) for x in args)
