"""n_step_gru and n_step_bigru: stacked GRUs over variable-length sequences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.functions.activation.sigmoid import sigmoid
from polychain.functions.activation.tanh import tanh
from polychain.functions.array.concat import concat, split_axis
from polychain.functions.connection.linear import linear
from polychain.functions.rnn.n_step import Cell, n_step
from polychain.variable import Variable


def _projections(w: Sequence[Any], b: Sequence[Any]) -> tuple[Any, Any, Any, Any]:
    return concat(w[:3], axis=0), concat(b[:3], axis=0), concat(w[3:], axis=0), \
        concat(b[3:], axis=0)


def _step(x_projection, h, c, h_weight, h_bias):
    x_r, x_z, x_h = split_axis(x_projection, 3, axis=1)
    h_r, h_z, h_h = split_axis(linear(h, h_weight, h_bias), 3, axis=1)
    r = sigmoid(x_r + h_r)
    z = sigmoid(x_z + h_z)
    h_bar = tanh(x_h + r * h_h)
    return h_bar + z * (h - h_bar), None


def _cell(name: str) -> Cell:
    return Cell(name, 6, _projections, _step)


def n_step_gru(n_layers: int, dropout_ratio: float, hx: Any, ws: Sequence[Sequence[Any]],
               bs: Sequence[Sequence[Any]],
               xs: Sequence[Any]) -> tuple[Variable, tuple[Variable, ...]]:
    """Stacked uni-directional GRU over variable-length sequences.

    Each layer computes, with ``s`` the sigmoid::

        r_t = s(W_0 x_t + W_3 h_{t-1} + b_0 + b_3)
        z_t = s(W_1 x_t + W_4 h_{t-1} + b_1 + b_4)
        h'_t = tanh(W_2 x_t + b_2 + r_t (W_5 h_{t-1} + b_5))
        h_t = (1 - z_t) h'_t + z_t h_{t-1}

    The input of layer ``k > 0`` is the output of layer ``k - 1``, with
    dropout applied in training.

    Args:
        n_layers: The number of layers ``S``.
        dropout_ratio: The dropout ratio of the inputs of layers after the first.
        hx: The initial hidden states, of shape ``(S, B, N)``.
        ws: ``ws[l]``: the six matrices ``W_0..W_5`` of layer ``l``;
            ``W_0..W_2`` are ``(N, I)`` in the first layer and ``(N, N)``
            after; ``W_3..W_5`` are ``(N, N)``.
        bs: ``bs[l]``: the six vectors ``b_0..b_5``, each of shape ``(N,)``.
        xs: The inputs by time step, ``xs[t]`` of shape ``(B_t, I)`` with
            ``B_t >= B_{t+1}`` (sort the sequences by decreasing length, then
            apply :func:`~polychain.functions.transpose_sequence`).

    Returns:
        ``(hy, ys)``: the last hidden states (``hx``'s shape) and the outputs
        of the last layer by time step, ``ys[t]`` of shape ``(B_t, N)``.
    """
    hy, _, ys = n_step(_cell('n_step_gru'), n_layers, dropout_ratio, hx, None, ws, bs, xs,
                       use_bi_direction=False)
    return hy, ys


def n_step_bigru(n_layers: int, dropout_ratio: float, hx: Any, ws: Sequence[Sequence[Any]],
                 bs: Sequence[Sequence[Any]],
                 xs: Sequence[Any]) -> tuple[Variable, tuple[Variable, ...]]:
    """Stacked bi-directional GRU over variable-length sequences.

    As :func:`n_step_gru`, with a forward and a backward recurrence per layer
    whose outputs are concatenated: ``h_t = [h^f_t; h^b_t]``.

    Args:
        n_layers: The number of layers ``S``.
        dropout_ratio: The dropout ratio of the inputs of layers after the first.
        hx: The initial hidden states, of shape ``(2S, B, N)``.
        ws: ``ws[2 * l + d]``: the six matrices of layer ``l`` in direction
            ``d`` (0 forward, 1 backward); ``W_0..W_2`` are ``(N, I)`` in the
            first layer and ``(N, 2N)`` after; ``W_3..W_5`` are ``(N, N)``.
        bs: ``bs[2 * l + d]``: the six vectors, each of shape ``(N,)``.
        xs: The inputs by time step, ``xs[t]`` of shape ``(B_t, I)``, ``B_t >= B_{t+1}``.

    Returns:
        ``(hy, ys)``: the last hidden states (``hx``'s shape) and the outputs,
        ``ys[t]`` of shape ``(B_t, 2N)``.
    """
    hy, _, ys = n_step(_cell('n_step_bigru'), n_layers, dropout_ratio, hx, None, ws, bs, xs,
                       use_bi_direction=True)
    return hy, ys
