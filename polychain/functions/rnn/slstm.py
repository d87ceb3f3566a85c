"""slstm: the S-LSTM cell, merging two children as in tree-structured LSTMs."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.rnn.lstm_cell import (
    CallableGrad,
    cell_forward,
    cell_grad_backward,
    cell_grad_forward,
    check_cell,
)
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


class SLSTM(FunctionNode):
    """The S-LSTM cell: ``(c_prev1, c_prev2, x1, x2) -> (c, h)``."""

    _retain_input_indexes = (0, 1, 2, 3)
    _retain_output_indexes = (0,)

    def forward(self, inputs):
        c_prev1, c_prev2, x1, x2 = inputs
        return cell_forward(self.xp, (c_prev1, c_prev2), (x1, x2))

    def backward(self, indexes, grad_outputs):
        inputs = self.get_retained_inputs()
        c, = self.get_retained_outputs()
        gc, gh = (Variable(self.xp.zeros_like(c.array)) if g is None else g
                  for g in grad_outputs)
        grads = SLSTMGrad().apply(inputs + (c, gc, gh))
        return tuple(grads[i] for i in indexes)


class SLSTMGrad(CallableGrad, FunctionNode):
    """The gradients of :class:`SLSTM`:
    ``(c_prev1, c_prev2, x1, x2, c, gc, gh) -> (gc_prev1, gc_prev2, gx1, gx2)``."""

    _retain_input_indexes = (0, 1, 2, 3, 4, 5, 6)

    def forward(self, inputs):
        c_prev1, c_prev2, x1, x2, c, gc, gh = inputs
        gc_prevs, gxs = cell_grad_forward(self.xp, (c_prev1, c_prev2), (x1, x2), c, gc, gh)
        return tuple(gc_prevs) + tuple(gxs)

    def backward(self, indexes, grad_outputs):
        c_prev1, c_prev2, x1, x2, c, gc, gh = inputs = self.get_retained_inputs()
        gg = tuple(Variable(self.xp.zeros_like(v.array)) if g is None else g
                   for g, v in zip(grad_outputs, inputs))
        g_c_prevs, g_xs, g_c, g_gc, g_gh = cell_grad_backward(
            (c_prev1, c_prev2), (x1, x2), c, gc, gh, gg[:2], gg[2:])
        grads = tuple(g_c_prevs) + tuple(g_xs) + (g_c, g_gc, g_gh)
        return tuple(grads[i] for i in indexes)


def slstm(c_prev1: Any, c_prev2: Any, x1: Any, x2: Any) -> tuple[Variable, Variable]:
    """S-LSTM units: an LSTM cell merging two children (tree-structured LSTMs).

    With the gate inputs ``a_k, i_k, f_k, o_k`` of ``x_k`` (interleaved as in
    :func:`~polychain.functions.lstm`), the outputs are
    ``c = tanh(a_1) sigmoid(i_1) + tanh(a_2) sigmoid(i_2) + sigmoid(f_1) c_prev1
    + sigmoid(f_2) c_prev2`` and ``h = tanh(c) sigmoid(o_1 + o_2)``.

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
    return SLSTM().apply((c_prev1, c_prev2, x1, x2))
