"""matmul with optional transposition of either operand."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import sum_to
from polychain.functions.array.reshape import reshape
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def _swap_last(xp: Any, a: Any) -> Any:
    return xp.matrix_transpose(a)


class MatMul(FunctionNode):
    """Matrix product of the last two axes, broadcasting the leading ones."""

    check_type_on_failure = True

    def __init__(self, transa: bool = False, transb: bool = False) -> None:
        self.transa = transa
        self.transb = transb

    def check_type_forward(self, in_types):
        a, b = in_types
        if a.ndim < 2 or b.ndim < 2:
            raise InvalidType('a.ndim >= 2 and b.ndim >= 2', f'a.ndim == {a.ndim}, '
                              f'b.ndim == {b.ndim}')
        k_a = a.shape[-2] if self.transa else a.shape[-1]
        k_b = b.shape[-1] if self.transb else b.shape[-2]
        if k_a != k_b:
            raise InvalidType('the contracted axes of a and b have the same length',
                              f'a.shape == {a.shape}, b.shape == {b.shape}, '
                              f'transa={self.transa}, transb={self.transb}')
        if a.dtype != b.dtype:
            raise InvalidType('a.dtype == b.dtype', f'{a.dtype} != {b.dtype}')

    _retain_input_indexes = (0, 1)

    def forward(self, inputs):
        a, b = inputs
        xp = self.xp
        if a.ndim < 2 or b.ndim < 2 or a.dtype != b.dtype:
            self.check_type_forward(tuple(_info(x) for x in inputs))
        self._shapes = (tuple(a.shape), tuple(b.shape))
        if self.transa:
            a = _swap_last(xp, a)
        if self.transb:
            b = _swap_last(xp, b)
        return xp.matmul(a, b),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        a, b = self.get_retained_inputs()
        grads = []
        for i in indexes:
            if i == 0:
                g = (matmul(b, gy, transa=self.transb, transb=True) if self.transa
                     else matmul(gy, b, transb=not self.transb))
            else:
                g = (matmul(gy, a, transa=True, transb=self.transa) if self.transb
                     else matmul(a, gy, transa=not self.transa))
            grads.append(sum_to(g, self._shapes[i]))
        return tuple(grads)


def _info(x: Any) -> Any:
    from polychain.utils.type_check import TypeInfo
    return TypeInfo(tuple(x.shape), x.dtype)


def matmul(a: Any, b: Any, transa: bool = False, transb: bool = False) -> Variable:
    """Matrix product ``a @ b``, optionally transposing the last two axes of either.

    One-dimensional operands follow NumPy: ``a`` becomes a row, ``b`` a
    column, and the added axis is removed from the result.

    Args:
        a: Left operand (``ndim >= 1``).
        b: Right operand (``ndim >= 1``).
        transa: Transpose the last two axes of ``a`` first.
        transb: Transpose the last two axes of ``b`` first.
    """
    a_vec = a.ndim == 1
    b_vec = b.ndim == 1
    if a_vec:
        a = reshape(a, (1, a.shape[0]))
    if b_vec:
        b = reshape(b, (b.shape[0], 1))
    y = MatMul(transa, transb).apply((a, b))[0]
    if a_vec or b_vec:
        shape = y.shape[:-2] + ((() if a_vec else (y.shape[-2],)) +
                                (() if b_vec else (y.shape[-1],)))
        y = reshape(y, shape)
    return y
