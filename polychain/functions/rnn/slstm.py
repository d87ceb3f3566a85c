"""slstm: the S-LSTM cell, merging two children as in tree-structured LSTMs."""

from __future__ import annotations

from typing import Any

from polychain.functions.activation.sigmoid import sigmoid
from polychain.functions.activation.tanh import tanh
from polychain.functions.rnn.lstm import check_cell, extract_gates
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def slstm(c_prev1: Any, c_prev2: Any, x1: Any, x2: Any) -> tuple[Variable, Variable]:
    """S-LSTM units: an LSTM cell merging two children (tree-structured LSTMs).

    With the gate inputs ``a_k, i_k, f_k, o_k`` of ``x_k`` (interleaved as in
    :func:`~polychain.functions.lstm`), the outputs are
    ``c = tanh(a_1 + a_2) sigmoid(i_1 + i_2) + c_prev1 sigmoid(f_1) + c_prev2 sigmoid(f_2)``
    and ``h = tanh(c) sigmoid(o_1 + o_2)``.

    Args:
        c_prev1: The cell state of the first child, of shape ``(B, units, ...)``.
        c_prev2: The cell state of the second child, of the same shape.
        x1: The gate inputs from the first child, of shape ``(B, 4 * units, ...)``.
        x2: The gate inputs from the second child, of the same shape.

    Returns:
        ``(c, h)``: the new cell state and the output, both of ``c_prev1``'s shape.
    """
    check_cell('slstm', 'c_prev1', c_prev1, 'x1', x1, same_batch=True)
    check_cell('slstm', 'c_prev2', c_prev2, 'x2', x2, same_batch=True)
    if tuple(c_prev1.shape) != tuple(c_prev2.shape):
        error = InvalidType('c_prev1.shape == c_prev2.shape',
                            f'{tuple(c_prev1.shape)} != {tuple(c_prev2.shape)}')
        error.set_function('slstm')
        raise error
    a1, i1, f1, o1 = extract_gates(x1)
    a2, i2, f2, o2 = extract_gates(x2)
    c = tanh(a1 + a2) * sigmoid(i1 + i2) + sigmoid(f1) * c_prev1 + sigmoid(f2) * c_prev2
    h = sigmoid(o1 + o2) * tanh(c)
    return c, h
