"""scatter_add: adds values at indexed positions of a copy of an array."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import sum_to
from polychain.functions.array.get_item import (
    _axes_consumed,
    _plain_index,
    _standard_index,
    get_item,
)
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


class ScatterAdd(FunctionNode):
    """``a`` with ``b`` added at ``a[slices]``; repeated indices accumulate."""

    def __init__(self, slices: Any) -> None:
        self.slices = slices

    def forward(self, inputs):
        a, b = inputs
        if a.dtype != b.dtype:
            raise InvalidType('a.dtype == b.dtype', f'{a.dtype} != {b.dtype}')
        self.slices = _standard_index(self.slices, a, self.xp)
        consumed = sum(0 if p is Ellipsis else _axes_consumed(p) for p in self.slices)
        if consumed > a.ndim:
            raise InvalidType(f'at most a.ndim == {a.ndim} indexed axes',
                              f'{consumed} axes indexed by {self.slices!r}')
        self._b_shape = tuple(b.shape)
        return self.device.backend.scatter_add(a, self.slices, b),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        return gy, sum_to(get_item(gy, self.slices), self._b_shape)


def scatter_add(a: Any, slices: Any, b: Any) -> Variable:
    """Returns a copy of ``a`` with ``b`` added to ``a[slices]`` (NumPy's ``add.at``).

    Repeated indices in ``slices`` add up; ``a`` itself is not changed.

    Args:
        a: Input variable or array.
        slices: An index expression: ints, slices, ``None``, ``Ellipsis``,
            integer arrays or a boolean mask, or a tuple of them.
        b: Variable or array added at ``a[slices]``; its shape is that of
            ``a[slices]`` or broadcasts to it.
    """
    return ScatterAdd(_plain_index(slices)).apply((a, b))[0]
