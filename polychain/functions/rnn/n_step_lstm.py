"""n_step_lstm and n_step_bilstm: stacked LSTMs over variable-length sequences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.functions.array.reshape import reshape
from polychain.functions.array.stack import stack
from polychain.functions.connection.linear import linear
from polychain.functions.rnn.lstm import lstm
from polychain.functions.rnn.n_step import Cell, n_step
from polychain.variable import Variable

# lstm() reads its gate inputs as (a, i, f, o) interleaved per unit; the
# weights W_0..W_3 are those of the input gate, forget gate, cell input and
# output gate.
_GATE_ORDER = (2, 0, 1, 3)


def _interleaved(arrays: Sequence[Any]) -> Variable:
    """``arrays`` (each ``(N, ...)``) interleaved into ``(4N, ...)``, unit by unit."""
    joined = stack(arrays, axis=1)
    return reshape(joined, (joined.shape[0] * joined.shape[1],) + tuple(joined.shape[2:]))


def _projections(w: Sequence[Any], b: Sequence[Any]) -> tuple[Any, Any, Any, Any]:
    return (_interleaved([w[g] for g in _GATE_ORDER]), _interleaved([b[g] for g in _GATE_ORDER]),
            _interleaved([w[4 + g] for g in _GATE_ORDER]),
            _interleaved([b[4 + g] for g in _GATE_ORDER]))


def _step(x_projection, h, c, h_weight, h_bias):
    c, h = lstm(c, x_projection + linear(h, h_weight, h_bias))
    return h, c


def _cell(name: str) -> Cell:
    return Cell(name, 8, _projections, _step, has_cell_state=True)


def n_step_lstm(n_layers: int, dropout_ratio: float, hx: Any, cx: Any,
                ws: Sequence[Sequence[Any]], bs: Sequence[Sequence[Any]],
                xs: Sequence[Any]) -> tuple[Variable, Variable, tuple[Variable, ...]]:
    """Stacked uni-directional LSTM over variable-length sequences.

    Each layer computes, with ``s`` the sigmoid::

        i_t = s(W_0 x_t + W_4 h_{t-1} + b_0 + b_4)
        f_t = s(W_1 x_t + W_5 h_{t-1} + b_1 + b_5)
        a_t = tanh(W_2 x_t + W_6 h_{t-1} + b_2 + b_6)
        o_t = s(W_3 x_t + W_7 h_{t-1} + b_3 + b_7)
        c_t = f_t c_{t-1} + i_t a_t
        h_t = o_t tanh(c_t)

    (the weight layout of cuDNN and of Chainer's implementation). The input
    of layer ``k > 0`` is the output of layer ``k - 1``, with dropout applied
    in training.

    Args:
        n_layers: The number of layers ``S``.
        dropout_ratio: The dropout ratio of the inputs of layers after the first.
        hx: The initial hidden states, of shape ``(S, B, N)``.
        cx: The initial cell states, of the same shape.
        ws: ``ws[l]``: the eight matrices ``W_0..W_7`` of layer ``l``;
            ``W_0..W_3`` are ``(N, I)`` in the first layer and ``(N, N)``
            after; ``W_4..W_7`` are ``(N, N)``.
        bs: ``bs[l]``: the eight vectors ``b_0..b_7``, each of shape ``(N,)``.
        xs: The inputs by time step, ``xs[t]`` of shape ``(B_t, I)`` with
            ``B_t >= B_{t+1}`` (sort the sequences by decreasing length, then
            apply :func:`~polychain.functions.transpose_sequence`).

    Returns:
        ``(hy, cy, ys)``: the last hidden and cell states (``hx``'s shape) and
        the outputs of the last layer by time step, ``ys[t]`` of shape ``(B_t, N)``.
    """
    return n_step(_cell('n_step_lstm'), n_layers, dropout_ratio, hx, cx, ws, bs, xs,
                  use_bi_direction=False)


def n_step_bilstm(n_layers: int, dropout_ratio: float, hx: Any, cx: Any,
                  ws: Sequence[Sequence[Any]], bs: Sequence[Sequence[Any]],
                  xs: Sequence[Any]) -> tuple[Variable, Variable, tuple[Variable, ...]]:
    """Stacked bi-directional LSTM over variable-length sequences.

    As :func:`n_step_lstm`, with a forward and a backward recurrence per layer
    whose outputs are concatenated: ``h_t = [h^f_t; h^b_t]``.

    Args:
        n_layers: The number of layers ``S``.
        dropout_ratio: The dropout ratio of the inputs of layers after the first.
        hx: The initial hidden states, of shape ``(2S, B, N)``.
        cx: The initial cell states, of the same shape.
        ws: ``ws[2 * l + d]``: the eight matrices of layer ``l`` in direction
            ``d`` (0 forward, 1 backward); ``W_0..W_3`` are ``(N, I)`` in the
            first layer and ``(N, 2N)`` after; ``W_4..W_7`` are ``(N, N)``.
        bs: ``bs[2 * l + d]``: the eight vectors, each of shape ``(N,)``.
        xs: The inputs by time step, ``xs[t]`` of shape ``(B_t, I)``, ``B_t >= B_{t+1}``.

    Returns:
        ``(hy, cy, ys)``: the last hidden and cell states (``hx``'s shape) and
        the outputs, ``ys[t]`` of shape ``(B_t, 2N)``.
    """
    return n_step(_cell('n_step_bilstm'), n_layers, dropout_ratio, hx, cx, ws, bs, xs,
                  use_bi_direction=True)
