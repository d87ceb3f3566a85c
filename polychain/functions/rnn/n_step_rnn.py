"""n_step_rnn and n_step_birnn: stacked Elman RNNs with tanh or ReLU."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.functions.activation.relu import relu
from polychain.functions.activation.tanh import tanh
from polychain.functions.connection.linear import linear
from polychain.functions.rnn.n_step import Cell, n_step
from polychain.variable import Variable

_ACTIVATIONS = {'tanh': tanh, 'relu': relu}


def _projections(w: Sequence[Any], b: Sequence[Any]) -> tuple[Any, Any, Any, Any]:
    return w[0], b[0], w[1], b[1]


def _cell(name: str, activation: str) -> Cell:
    if activation not in _ACTIVATIONS:
        raise ValueError(f'{name}: expected activation among {sorted(_ACTIVATIONS)}, received '
                         f'{activation!r}')
    function = _ACTIVATIONS[activation]

    def step(x_projection, h, c, h_weight, h_bias):
        return function(x_projection + linear(h, h_weight, h_bias)), None

    return Cell(name, 2, _projections, step)


def n_step_rnn(n_layers: int, dropout_ratio: float, hx: Any, ws: Sequence[Sequence[Any]],
               bs: Sequence[Sequence[Any]], xs: Sequence[Any],
               activation: str = 'tanh') -> tuple[Variable, tuple[Variable, ...]]:
    """Stacked uni-directional RNN over variable-length sequences.

    Each layer computes ``h_t = f(W_0 x_t + b_0 + W_1 h_{t-1} + b_1)``; the
    input of layer ``k > 0`` is the output of layer ``k - 1``, with dropout
    applied in training.

    Args:
        n_layers: The number of layers ``S``.
        dropout_ratio: The dropout ratio of the inputs of layers after the first.
        hx: The initial hidden states, of shape ``(S, B, N)``.
        ws: ``ws[l] = [W_0, W_1]`` of layer ``l``: ``W_0`` is ``(N, I)`` for the
            first layer and ``(N, N)`` after; ``W_1`` is ``(N, N)``.
        bs: ``bs[l] = [b_0, b_1]``, each of shape ``(N,)``.
        xs: The inputs by time step, ``xs[t]`` of shape ``(B_t, I)`` with
            ``B_t >= B_{t+1}`` (sort the sequences by decreasing length, then
            apply :func:`~polychain.functions.transpose_sequence`).
        activation: ``'tanh'`` or ``'relu'``.

    Returns:
        ``(hy, ys)``: the last hidden states (``hx``'s shape) and the outputs
        of the last layer by time step, ``ys[t]`` of shape ``(B_t, N)``.
    """
    hy, _, ys = n_step(_cell('n_step_rnn', activation), n_layers, dropout_ratio, hx, None, ws,
                       bs, xs, use_bi_direction=False)
    return hy, ys


def n_step_birnn(n_layers: int, dropout_ratio: float, hx: Any, ws: Sequence[Sequence[Any]],
                 bs: Sequence[Sequence[Any]], xs: Sequence[Any],
                 activation: str = 'tanh') -> tuple[Variable, tuple[Variable, ...]]:
    """Stacked bi-directional RNN over variable-length sequences.

    As :func:`n_step_rnn`, with a forward and a backward recurrence per layer
    whose outputs are concatenated: ``h_t = [h^f_t; h^b_t]``.

    Args:
        n_layers: The number of layers ``S``.
        dropout_ratio: The dropout ratio of the inputs of layers after the first.
        hx: The initial hidden states, of shape ``(2S, B, N)``.
        ws: ``ws[2 * l + d] = [W_0, W_1]`` of layer ``l`` in direction ``d``
            (0 forward, 1 backward); ``W_0`` is ``(N, I)`` for the first layer
            and ``(N, 2N)`` after; ``W_1`` is ``(N, N)``.
        bs: ``bs[2 * l + d] = [b_0, b_1]``, each of shape ``(N,)``.
        xs: The inputs by time step, ``xs[t]`` of shape ``(B_t, I)``, ``B_t >= B_{t+1}``.
        activation: ``'tanh'`` or ``'relu'``.

    Returns:
        ``(hy, ys)``: the last hidden states (``hx``'s shape) and the outputs,
        ``ys[t]`` of shape ``(B_t, 2N)``.
    """
    hy, _, ys = n_step(_cell('n_step_birnn', activation), n_layers, dropout_ratio, hx, None,
                       ws, bs, xs, use_bi_direction=True)
    return hy, ys
