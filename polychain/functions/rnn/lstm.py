"""lstm: long short-term memory units as an activation function of precomputed gate inputs."""

from __future__ import annotations

from typing import Any

from array_api_compat import device as native_device

from polychain.function_node import FunctionNode
from polychain.functions.array.concat import concat
from polychain.functions.rnn.lstm_cell import (
    CallableGrad,
    cell_forward,
    cell_grad_backward,
    cell_grad_forward,
    check_cell,
)
from polychain.variable import Variable


class LSTM(FunctionNode):
    """The LSTM cell: ``(c_prev, x) -> (c, h)``; rows of ``c_prev`` beyond ``x``'s pass through."""

    _retain_input_indexes = (0, 1)
    _retain_output_indexes = (0,)

    def forward(self, inputs):
        c_prev, x = inputs
        batch = x.shape[0]
        c, h = cell_forward(self.xp, (c_prev[:batch, ...],), (x,))
        if batch < c_prev.shape[0]:
            c = self.xp.concat((c, c_prev[batch:, ...]), axis=0)
        return c, h

    def backward(self, indexes, grad_outputs):
        c_prev, x = self.get_retained_inputs()
        c, = self.get_retained_outputs()
        gc, gh = grad_outputs
        xp = self.xp
        if gc is None:
            gc = Variable(xp.zeros_like(c.array))
        if gh is None:
            gh = Variable(xp.zeros((x.shape[0],) + tuple(c.shape[1:]), dtype=c.dtype,
                                   device=native_device(c.array)))
        grads = LSTMGrad().apply((c_prev, x, c, gc, gh))
        return tuple(grads[i] for i in indexes)


class LSTMGrad(CallableGrad, FunctionNode):
    """The gradients of :class:`LSTM`: ``(c_prev, x, c, gc, gh) -> (gc_prev, gx)``."""

    _retain_input_indexes = (0, 1, 2, 3, 4)

    def forward(self, inputs):
        c_prev, x, c, gc, gh = inputs
        batch = x.shape[0]
        (gc_prev,), (gx,) = cell_grad_forward(self.xp, (c_prev[:batch, ...],), (x,), c[:batch, ...],
                                              gc[:batch, ...], gh)
        if batch < c_prev.shape[0]:
            gc_prev = self.xp.concat((gc_prev, gc[batch:, ...]), axis=0)
        return gc_prev, gx

    def backward(self, indexes, grad_outputs):
        c_prev, x, c, gc, gh = self.get_retained_inputs()
        xp = self.xp
        gg_c_prev, gg_x = (Variable(xp.zeros_like(v.array)) if g is None else g
                           for g, v in zip(grad_outputs, (c_prev, x)))
        batch, total = x.shape[0], c_prev.shape[0]
        (g_c_prev,), (g_x,), g_c, g_gc, g_gh = cell_grad_backward(
            (c_prev[:batch, ...],), (x,), c[:batch, ...], gc[:batch, ...], gh,
            (gg_c_prev[:batch, ...],), (gg_x,))
        if batch < total:
            zeros = Variable(xp.zeros((total - batch,) + tuple(c.shape[1:]), dtype=c.dtype,
                                      device=native_device(c.array)))
            g_c_prev = concat((g_c_prev, zeros), axis=0)
            g_c = concat((g_c, zeros), axis=0)
            g_gc = concat((g_gc, gg_c_prev[batch:, ...]), axis=0)
        grads = (g_c_prev, g_x, g_c, g_gc, g_gh)
        return tuple(grads[i] for i in indexes)


def lstm(c_prev: Any, x: Any) -> tuple[Variable, Variable]:
    """Long short-term memory units with forget gates, as an activation function.

    ``x`` holds the gate inputs ``a`` (cell input), ``i`` (input gate), ``f``
    (forget gate) and ``o`` (output gate), interleaved along its second axis
    (``x`` read as ``(B, units, 4, ...)``). The outputs are
    ``c = tanh(a) sigmoid(i) + c_prev sigmoid(f)`` and ``h = tanh(c) sigmoid(o)``.

    When ``x`` has fewer rows than ``c_prev`` (sequences sorted by decreasing
    length), only ``c[:len(x)]`` is updated; the other rows of ``c_prev`` pass
    through unchanged.

    Args:
        c_prev: The previous cell state, of shape ``(B, units, ...)``.
        x: The gate inputs, of shape ``(B', 4 * units, ...)`` with ``B' <= B``.

    Returns:
        ``(c, h)``: the new cell state (``c_prev``'s shape) and the output
        (``(B', units, ...)``).
    """
    check_cell('lstm', 'c_prev', c_prev, 'x', x, same_batch=False)
    return LSTM().apply((c_prev, x))
