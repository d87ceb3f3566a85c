"""sparse_matmul: products of a coordinate-format sparse matrix and a dense one."""

from __future__ import annotations

from typing import Any

from array_api_compat import device as native_device

from polychain.function_node import FunctionNode
from polychain.functions.array.cast import cast
from polychain.functions.array.get_item import get_item
from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import swapaxes
from polychain.functions.math.sum import sum as sum_
from polychain.utils.sparse import CooMatrix
from polychain.utils.type_check import InvalidType, expect_float
from polychain.variable import Variable


class CooMatMul(FunctionNode):
    """``op(A) op(B)`` (transposed when ``transc``) of a sparse ``A``, whose values are the
    first input and whose positions and shape are given here, and a dense ``B``, the second.

    ``op`` transposes the last two axes of its operand when ``transa`` (``transb``) is set.
    A batch of sparse matrices (values of shape ``(batch, nnz)``) multiplies a batch of dense
    ones ``(batch, rows, columns)``. Entries with negative indices are padding.
    """

    def __init__(self, sp_row: Any, sp_col: Any, sp_shape: tuple[int, int],
                 sp_order: str = 'other', transa: bool = False, transb: bool = False,
                 transc: bool = False, dtype: Any = None) -> None:
        self.sp_row = sp_row
        self.sp_col = sp_col
        self.sp_shape = tuple(sp_shape)
        self.sp_order = sp_order
        self.transa = transa
        self.transb = transb
        self.transc = transc
        self.dtype = dtype

    def check_type_forward(self, in_types):
        sp, dn = in_types
        expect_float(self.xp, sp, 'sp')
        expect_float(self.xp, dn, 'dn')
        if sp.ndim not in (1, 2) or dn.ndim != sp.ndim + 1:
            raise InvalidType('sp.ndim in (1, 2) and dn.ndim == sp.ndim + 1',
                              f'sp.ndim == {sp.ndim}, dn.ndim == {dn.ndim}')
        if sp.ndim == 2 and sp.shape[0] != dn.shape[0]:
            raise InvalidType('sp.shape[0] == dn.shape[0] (one batch)',
                              f'sp.shape == {sp.shape}, dn.shape == {dn.shape}')
        k_a = self.sp_shape[0] if self.transa else self.sp_shape[1]
        k_b = dn.shape[-1] if self.transb else dn.shape[-2]
        if k_a != k_b:
            raise InvalidType('the contracted axes of the sparse and dense matrices match',
                              f'sparse shape {self.sp_shape}, dn.shape == {dn.shape}, '
                              f'transa={self.transa}, transb={self.transb}')

    _retain_input_indexes = (0, 1)

    def forward(self, inputs):
        sp, dn = inputs
        xp = self.xp
        dtype = self.dtype if self.dtype is not None else xp.result_type(sp.dtype, dn.dtype)
        rows, cols, m = self._positions()
        b = xp.matrix_transpose(dn) if self.transb else dn
        batch = sp.shape[0] if sp.ndim == 2 else 1
        k, n = b.shape[-2:]
        flat_rows, flat_cols = _flat_indexes(xp, rows, cols, m, k, batch)
        values = xp.astype(xp.where(rows >= 0, sp, xp.zeros_like(sp)), dtype)
        picked = xp.take(xp.reshape(b, (batch * k, n)), flat_cols, axis=0)
        products = xp.reshape(values, (-1, 1)) * xp.astype(picked, dtype)
        c = xp.zeros((batch * m, n), dtype=dtype, device=self.device.native)
        c = self.device.backend.scatter_add(c, flat_rows, products)
        c = xp.reshape(c, (batch, m, n) if sp.ndim == 2 else (m, n))
        return (xp.matrix_transpose(c) if self.transc else c),

    def backward(self, indexes, grad_outputs):
        sp, dn = self.get_retained_inputs()
        gc, = grad_outputs
        grads = []
        if 0 in indexes:
            grads.append(self._sparse_grad(sp, dn, gc))
        if 1 in indexes:
            grads.append(CooMatMul(self.sp_row, self.sp_col, self.sp_shape, self.sp_order,
                                   transa=not self.transa, transb=self.transc,
                                   transc=self.transb, dtype=dn.dtype).apply((sp, gc))[0])
        return tuple(grads)

    def _positions(self) -> tuple[Any, Any, int]:
        """Rows and columns of the entries in ``op(A)``, and its number of rows."""
        if self.transa:
            return self.sp_col, self.sp_row, self.sp_shape[1]
        return self.sp_row, self.sp_col, self.sp_shape[0]

    def _sparse_grad(self, sp: Variable, dn: Variable, gc: Variable) -> Variable:
        """``(gC' op(B)^T)`` at the positions of the entries: the gradient of their values."""
        xp = self.xp
        rows, cols, m = self._positions()
        g = swapaxes(gc, -1, -2) if self.transc else gc
        b = swapaxes(dn, -1, -2) if self.transb else dn
        batch = sp.shape[0] if sp.ndim == 2 else 1
        k, n = b.shape[-2:]
        flat_rows, flat_cols = _flat_indexes(xp, rows, cols, m, k, batch)
        picked_g = get_item(reshape(g, (batch * m, n)), flat_rows)
        picked_b = get_item(reshape(b, (batch * k, n)), flat_cols)
        if picked_b.dtype != picked_g.dtype:
            picked_b = cast(picked_b, picked_g.dtype)
        products = sum_(picked_g * picked_b, axis=1)
        kept = xp.astype(xp.reshape(rows >= 0, (-1,)), products.dtype)
        grad = reshape(products * kept, sp.shape)
        return grad if grad.dtype == sp.dtype else cast(grad, sp.dtype)


def _flat_indexes(xp: Any, rows: Any, cols: Any, m: int, k: int,
                  batch: int) -> tuple[Any, Any]:
    """Indexes of the entries' rows into ``(batch * m, n)`` and of their columns into the
    rows of ``(batch * k, n)``; padding entries point at row 0 of their matrix."""
    valid = rows >= 0
    rows = xp.where(valid, rows, xp.zeros_like(rows))
    cols = xp.where(valid, cols, xp.zeros_like(cols))
    if rows.ndim == 2:
        first = xp.arange(batch, dtype=rows.dtype, device=native_device(rows))[:, None]
        rows, cols = rows + first * m, cols + first * k
    return xp.reshape(rows, (-1,)), xp.reshape(cols, (-1,))


def sparse_matmul(a: Any, b: Any, transa: bool = False, transb: bool = False) -> Variable:
    """Matrix product of a sparse :class:`~polychain.utils.CooMatrix` and a dense matrix.

    One operand must be a ``CooMatrix`` and the other dense; the gradient flows to the
    sparse matrix's values (at its nonzero positions only) and to the dense operand.

    Args:
        a: The left operand, ``(m, k)`` or a batch ``(batch, m, k)``.
        b: The right operand, ``(k, n)`` or a batch ``(batch, k, n)``.
        transa: Transpose ``a`` (its last two axes) first.
        transb: Transpose ``b`` (its last two axes) first.

    Raises:
        ValueError: Both operands are sparse, or neither is.
    """
    a_sparse, b_sparse = isinstance(a, CooMatrix), isinstance(b, CooMatrix)
    if a_sparse and not b_sparse:
        return CooMatMul(a.row, a.col, a.shape, a.order, transa=transa, transb=transb,
                         transc=False).apply((a.data, b))[0]
    if b_sparse and not a_sparse:
        return CooMatMul(b.row, b.col, b.shape, b.order, transa=not transb,
                         transb=not transa, transc=True).apply((b.data, a))[0]
    raise ValueError(f'sparse_matmul: expected exactly one CooMatrix operand, received '
                     f'{type(a).__name__} and {type(b).__name__}')
