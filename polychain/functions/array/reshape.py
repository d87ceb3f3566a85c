"""reshape and its special cases: expand_dims, squeeze and flatten."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.utils.axes import normalize_axes, normalize_axis
from polychain.variable import Variable


class Reshape(FunctionNode):
    """Gives an array a new shape with the same number of elements."""

    check_type_on_failure = True

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def check_type_forward(self, in_types):
        from polychain.utils.type_check import InvalidType
        size = in_types[0].size
        known = 1
        for n in self.shape:
            known *= n if n != -1 else 1
        if (-1 in self.shape and (known == 0 or size % known)) or \
                (-1 not in self.shape and known != size):
            raise InvalidType(f'x.size compatible with the shape {self.shape}',
                              f'x.shape == {in_types[0].shape} (size {size})')

    def forward(self, inputs):
        x, = inputs
        self._in_shape = tuple(x.shape)
        return self.xp.reshape(x, self.shape),

    def backward(self, indexes, grad_outputs):
        return reshape(grad_outputs[0], self._in_shape),


def reshape(x: Any, shape: Any) -> Variable:
    """Reshapes ``x`` to ``shape`` (one entry may be ``-1``).

    Args:
        x: Input variable or array.
        shape: The new shape.
    """
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if tuple(x.shape) == shape:
        return x if isinstance(x, Variable) else Variable(x)
    return Reshape(shape).apply((x,))[0]


def expand_dims(x: Any, axis: int) -> Variable:
    """Inserts an axis of length 1 at ``axis``.

    Args:
        x: Input variable or array.
        axis: Position of the new axis, in ``[-x.ndim - 1, x.ndim]``.
    """
    shape = tuple(x.shape)
    axis = normalize_axis(axis, len(shape) + 1, 'expand_dims')
    return reshape(x, shape[:axis] + (1,) + shape[axis:])


def squeeze(x: Any, axis: Any = None) -> Variable:
    """Removes axes of length 1.

    Args:
        x: Input variable or array.
        axis: An int or a tuple of ints naming axes of length 1 to remove;
            ``None`` removes all of them.
    """
    shape = tuple(x.shape)
    if axis is None:
        axes = {i for i, n in enumerate(shape) if n == 1}
    else:
        axes = set(normalize_axes(axis, len(shape), 'squeeze'))
        wrong = sorted(i for i in axes if shape[i] != 1)
        if wrong:
            raise ValueError(f'squeeze: expected axes of length 1, received axis={axis} for '
                             f'shape {shape} (axes {wrong} are longer)')
    return reshape(x, tuple(n for i, n in enumerate(shape) if i not in axes))


def flatten(x: Any) -> Variable:
    """Flattens ``x`` to one dimension.

    Args:
        x: Input variable or array.
    """
    return reshape(x, (-1,))
