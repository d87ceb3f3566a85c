"""tree_lstm: the TreeLSTM cell, merging the cell states of N children with N forget gates."""

from __future__ import annotations

from typing import Any

from polychain.functions.activation.sigmoid import sigmoid
from polychain.functions.activation.tanh import tanh
from polychain.functions.array.reshape import reshape
from polychain.functions.array.stack import separate
from polychain.utils.dtypes import has_float_dtype
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable, as_variable


def _check(cs: list[Variable], x: Variable) -> None:
    if not cs:
        raise InvalidType('tree_lstm takes at least one cell state and the input x',
                          'only x was given')
    if x.ndim < 2:
        raise InvalidType('x.ndim >= 2', f'x.shape == {x.shape}')
    for j, c in enumerate(cs):
        if not has_float_dtype(c) or c.dtype != x.dtype:
            raise InvalidType(f'cs[{j}] is a floating array of the dtype of x',
                              f'cs[{j}].dtype == {c.dtype}, x.dtype == {x.dtype}')
        if c.ndim != x.ndim or c.shape[0] != x.shape[0] or c.shape[2:] != x.shape[2:] or \
                x.shape[1] != (3 + len(cs)) * c.shape[1]:
            raise InvalidType(f'x.shape == (B, (3 + N) * U, ...) and cs[{j}].shape == '
                              f'(B, U, ...) with N == {len(cs)} children',
                              f'x.shape == {x.shape}, cs[{j}].shape == {c.shape}')


def tree_lstm(*inputs: Any) -> tuple[Variable, Variable]:
    """TreeLSTM unit: the cell of a tree node from its N children's cells.

    ``x`` is split along its second axis into ``3 + N`` equal blocks
    ``a, i, o, f_1 .. f_N`` (consecutive, not interleaved as in
    :func:`~polychain.functions.lstm`), and::

        c = tanh(a) * sigmoid(i) + sum_n sigmoid(f_n) * c_n
        h = sigmoid(o) * tanh(c)

    Args:
        inputs: ``c_1, ..., c_N, x``: the children's cell states, shape ``(B, U, ...)``,
            then the input ``x`` of shape ``(B, (3 + N) U, ...)``.

    Returns:
        ``(c, h)``: the new cell state and the output, shape ``(B, U, ...)``.
    """
    *cs, x = [as_variable(v) for v in inputs]
    _check(cs, x)
    n_blocks = 3 + len(cs)
    units = x.shape[1] // n_blocks
    a, i, o, *fs = separate(reshape(x, (x.shape[0], n_blocks, units) + x.shape[2:]), axis=1)
    c = tanh(a) * sigmoid(i)
    for f, child in zip(fs, cs):
        c = c + sigmoid(f) * child
    return c, sigmoid(o) * tanh(c)
