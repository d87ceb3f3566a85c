"""Elementwise maximum/minimum, and max, min, argmax and argmin over axes."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.reshape import reshape
from polychain.functions.math.basic_math import _BroadcastingBinary
from polychain.utils.axes import reduction_axes
from polychain.variable import Variable


class _Extremum(_BroadcastingBinary):
    """``maximum``/``minimum``: the gradient goes to the operand that was chosen."""

    _retain_input_indexes = (0, 1)
    array_function = ''

    def forward(self, inputs):
        self.operator = getattr(self.xp, self.array_function)
        return super().forward(inputs)

    def _first_chosen(self, x1: Any, x2: Any) -> Any:
        raise NotImplementedError

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        x1, x2 = self.get_retained_inputs()
        xp = self.xp
        first = self._first_chosen(x1.array, x2.array)
        grads = []
        for i in indexes:
            mask = first if i == 0 else ~first
            grads.append(self._reduce(gy * xp.astype(mask, gy.dtype), i))
        return tuple(grads)


class Maximum(_Extremum):
    array_function = 'maximum'

    def _first_chosen(self, x1, x2):
        return x1 >= x2


class Minimum(_Extremum):
    array_function = 'minimum'

    def _first_chosen(self, x1, x2):
        return x1 <= x2


class _Reduction(FunctionNode):
    """``max``/``min`` over axes: the gradient goes to every element equal to the result."""

    _retain_input_indexes = (0,)
    _retain_output_indexes = (0,)
    array_function = ''

    def __init__(self, axis: Any, keepdims: bool) -> None:
        self.axis = axis
        self.keepdims = keepdims

    def forward(self, inputs):
        x, = inputs
        self._axes = reduction_axes(self.axis, x.ndim, self.label)
        return getattr(self.xp, self.array_function)(x, axis=self._axes,
                                                     keepdims=self.keepdims),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        shape = tuple(x.shape)
        kept = _kept_shape(shape, self._axes)
        y_b = self.xp.broadcast_to(self.xp.reshape(y.array, kept), shape)
        mask = self.xp.astype(x.array == y_b, x.dtype)
        return broadcast_to(reshape(gy, kept), shape) * mask,


def _kept_shape(shape: tuple[int, ...], axes: tuple[int, ...] | None) -> tuple[int, ...]:
    return tuple(1 if axes is None or i in axes else n for i, n in enumerate(shape))


class Max(_Reduction):
    array_function = 'max'


class Min(_Reduction):
    array_function = 'min'


class _ArgExtremum(FunctionNode):
    """Index of the largest/smallest element as int32; not differentiable."""

    array_function = ''

    def __init__(self, axis: int | None) -> None:
        self.axis = axis

    def forward(self, inputs):
        x, = inputs
        xp = self.xp
        if self.axis is not None:
            reduction_axes(self.axis, x.ndim, self.label, allow_tuple=False)
        return xp.astype(getattr(xp, self.array_function)(x, axis=self.axis), xp.int32),

    def backward(self, indexes, grad_outputs):
        return (None,)


class ArgMax(_ArgExtremum):
    array_function = 'argmax'


class ArgMin(_ArgExtremum):
    array_function = 'argmin'


def maximum(x1: Any, x2: Any) -> Variable:
    """Elementwise maximum; where they are equal the gradient goes to ``x1``.

    Args:
        x1: Input variable or array.
        x2: Input variable or array, broadcastable with ``x1`` and of its dtype.
    """
    return Maximum().apply((x1, x2))[0]


def minimum(x1: Any, x2: Any) -> Variable:
    """Elementwise minimum; where they are equal the gradient goes to ``x1``.

    Args:
        x1: Input variable or array.
        x2: Input variable or array, broadcastable with ``x1`` and of its dtype.
    """
    return Minimum().apply((x1, x2))[0]


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Variable:  # noqa: A001
    """Maximum of the elements over ``axis``.

    Args:
        x: Input variable or array.
        axis: An int, a tuple of ints, or ``None`` for all axes.
        keepdims: Keep the reduced axes with length 1.
    """
    return Max(axis, keepdims).apply((x,))[0]


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Variable:  # noqa: A001
    """Minimum of the elements over ``axis``.

    Args:
        x: Input variable or array.
        axis: An int, a tuple of ints, or ``None`` for all axes.
        keepdims: Keep the reduced axes with length 1.
    """
    return Min(axis, keepdims).apply((x,))[0]


def argmax(x: Any, axis: int | None = None) -> Variable:
    """Indices of the maximum elements along ``axis`` (int32, not differentiable).

    Args:
        x: Input variable or array.
        axis: The axis, or ``None`` for the index into the flattened input.
    """
    return ArgMax(axis).apply((x,))[0]


def argmin(x: Any, axis: int | None = None) -> Variable:
    """Indices of the minimum elements along ``axis`` (int32, not differentiable).

    Args:
        x: Input variable or array.
        axis: The axis, or ``None`` for the index into the flattened input.
    """
    return ArgMin(axis).apply((x,))[0]
