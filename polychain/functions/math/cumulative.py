"""cumsum and cumprod along one axis."""

from __future__ import annotations

from typing import Any

from array_api_compat import device as array_device

from polychain.function_node import FunctionNode
from polychain.functions.array.get_item import get_item
from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.math.sum import sum
from polychain.utils.axes import reduction_axes
from polychain.variable import Variable


def flip(x: Any, axis: int) -> Variable:
    """``x`` reversed along ``axis`` (a non-negative axis)."""
    return get_item(x, (slice(None),) * axis + (slice(None, None, -1), Ellipsis))


def move_axis_last(x: Any, axis: int) -> tuple[Variable, tuple[int, ...] | None]:
    """``x`` with ``axis`` moved to the end, and the permutation that moves it back."""
    ndim = x.ndim
    if axis == ndim - 1:
        return x, None
    order = tuple(i for i in range(ndim) if i != axis) + (axis,)
    inverse = tuple(order.index(i) for i in range(ndim))
    return transpose(x, order), inverse


def restore_axis(x: Variable, inverse: tuple[int, ...] | None) -> Variable:
    """Undoes :func:`move_axis_last`."""
    return x if inverse is None else transpose(x, inverse)


class _Cumulative(FunctionNode):
    def __init__(self, axis: int) -> None:
        self.axis = axis


class Cumsum(_Cumulative):
    def forward(self, inputs):
        return self.xp.cumulative_sum(inputs[0], axis=self.axis),

    def backward(self, indexes, grad_outputs):
        axis = self.axis
        return flip(cumsum(flip(grad_outputs[0], axis), axis), axis),


class Cumprod(_Cumulative):
    """Cumulative product; its gradient is exact where inputs are zero.

    ``dy_j / dx_i`` (``j >= i``) is the product of ``x_k`` for ``k <= j``,
    ``k != i``: the cumulative products of each row with its own element
    replaced by 1, an ``n x n`` table per row (``n`` the length of the axis),
    so the gradient costs ``O(n^2)`` memory along that axis.
    """

    _retain_input_indexes = (0,)

    def forward(self, inputs):
        return self.xp.cumulative_prod(inputs[0], axis=self.axis),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        x, inverse = move_axis_last(x, self.axis)
        gy, _ = move_axis_last(grad_outputs[0], self.axis)
        xp = self.xp
        n = x.shape[-1]
        index = xp.arange(n, device=array_device(x.array))
        own = xp.astype(index[None, :] == index[:, None], x.dtype)
        reached = xp.astype(index[None, :] >= index[:, None], x.dtype)
        rows = reshape(x, tuple(x.shape[:-1]) + (1, n))
        # partial[..., i, j] = dy_j / dx_i for j >= i
        partial = cumprod(rows * (1.0 - own) + own, axis=x.ndim) * reached
        gx = sum(partial * reshape(gy, tuple(gy.shape[:-1]) + (1, n)), axis=-1)
        return restore_axis(gx, inverse),


def _cumulative(node: type[_Cumulative], name: str, x: Any, axis: int | None) -> Variable:
    if axis is None:
        x = reshape(x, (-1,))
        axis = 0
    else:
        axis, = reduction_axes(axis, x.ndim, name, allow_tuple=False)
    return node(axis).apply((x,))[0]


def cumsum(x: Any, axis: int | None = None) -> Variable:
    """Cumulative sum along ``axis``.

    Args:
        x: Input variable or array.
        axis: The axis, or ``None`` to flatten the input first.
    """
    return _cumulative(Cumsum, 'cumsum', x, axis)


def cumprod(x: Any, axis: int | None = None) -> Variable:
    """Cumulative product along ``axis``.

    Args:
        x: Input variable or array.
        axis: The axis, or ``None`` to flatten the input first.
    """
    return _cumulative(Cumprod, 'cumprod', x, axis)
