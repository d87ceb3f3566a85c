"""matmul with optional transposition of either operand."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import sum_to
from polychain.functions.array.cast import cast
from polychain.functions.array.reshape import reshape
from polychain.utils.type_check import InvalidType, TypeInfo
from polychain.variable import Variable


class MatMul(FunctionNode):
    """Matrix product of the last two axes, broadcasting the leading ones.

    Operands of different float dtypes give the promoted dtype (NumPy's
    rules); each gradient has the dtype of its input.
    """

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
        try:
            numpy.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise InvalidType('the leading (batch) axes of a and b broadcast',
                              f'a.shape == {a.shape}, b.shape == {b.shape}') from None

    _retain_input_indexes = (0, 1)

    def forward(self, inputs):
        a, b = inputs
        xp = self.xp
        if a.ndim < 2 or b.ndim < 2:
            self.check_type_forward((TypeInfo(tuple(a.shape), a.dtype),
                                     TypeInfo(tuple(b.shape), b.dtype)))
        if self.transa:
            a = xp.matrix_transpose(a)
        if self.transb:
            b = xp.matrix_transpose(b)
        return xp.matmul(a, b),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        a, b = self.get_retained_inputs()
        grads = []
        for i in indexes:
            if i == 0:
                g = (matmul(b, gy, transa=self.transb, transb=True) if self.transa
                     else matmul(gy, b, transb=not self.transb))
                x = a
            else:
                g = (matmul(gy, a, transa=True, transb=self.transa) if self.transb
                     else matmul(a, gy, transa=not self.transa))
                x = b
            g = sum_to(g, x.shape)
            grads.append(g if g.dtype == x.dtype else cast(g, x.dtype))
        return tuple(grads)


def matmul(a: Any, b: Any, transa: bool = False, transb: bool = False) -> Variable:
    """Matrix product ``a @ b``, optionally transposing the last two axes of either.

    One-dimensional operands follow NumPy: ``a`` becomes a row, ``b`` a
    column, and the added axis is removed from the result; their ``transa``
    or ``transb`` has no effect.

    Args:
        a: Left operand (``ndim >= 1``).
        b: Right operand (``ndim >= 1``).
        transa: Transpose the last two axes of ``a`` first.
        transb: Transpose the last two axes of ``b`` first.

    Raises:
        InvalidType: The contracted lengths differ or the batch axes do not broadcast.
    """
    a_vec = a.ndim == 1
    b_vec = b.ndim == 1
    if a_vec:
        a = reshape(a, (1, a.shape[0]))
        transa = False
    if b_vec:
        b = reshape(b, (b.shape[0], 1))
        transb = False
    y = MatMul(transa, transb).apply((a, b))[0]
    if a_vec or b_vec:
        shape = y.shape[:-2] + ((() if a_vec else (y.shape[-2],)) +
                                (() if b_vec else (y.shape[-1],)))
        y = reshape(y, shape)
    return y
