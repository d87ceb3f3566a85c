"""The fully connected LSTM layer with peephole connections."""

from __future__ import annotations

from typing import Any

from polychain.functions import reshape, sigmoid, split_axis, tanh
from polychain.link import Chain
from polychain.links.connection.linear import Linear
from polychain.links.rnn.state import RecurrentState, zero_state
from polychain.variable import Variable


class StatefulPeepholeLSTM(RecurrentState, Chain):
    """An LSTM layer whose input, forget and output gates also see the cell state.

    The gate pre-activations ``upward(x) + lateral(h)`` are interleaved per
    unit as ``a, i, f, o`` (as in :func:`~polychain.functions.lstm`); the
    input and forget gates add ``peep_i(c)`` and ``peep_f(c)`` of the previous
    cell state, the output gate ``peep_o(c)`` of the new one.

    Args:
        in_size: Dimension of the input ``x``.
        out_size: Dimension of the cell state and the output.

    Attributes:
        c: The cell state (``None`` before the first call: zeros).
        h: The output of the previous call (``None`` before the first call).
    """

    state_names = ('c', 'h')

    def __init__(self, in_size: int, out_size: int) -> None:
        super().__init__()
        self.state_size = out_size
        self.reset_state()
        with self.init_scope():
            self.upward = Linear(in_size, 4 * out_size)
            self.lateral = Linear(out_size, 4 * out_size, nobias=True)
            self.peep_i = Linear(out_size, out_size, nobias=True)
            self.peep_f = Linear(out_size, out_size, nobias=True)
            self.peep_o = Linear(out_size, out_size, nobias=True)

    def forward(self, x: Any) -> Variable:
        """Updates the state with the batch ``x`` and returns the new output ``h``."""
        lstm_in = self.upward(x)
        if self.h is not None:
            lstm_in = lstm_in + self.lateral(self.h)
        if self.c is None:
            self.c = zero_state(self.device, (x.shape[0], self.state_size), x.dtype)
        gates = reshape(lstm_in, (lstm_in.shape[0], self.state_size, 4))
        a, i, f, o = (reshape(gate, (gate.shape[0], self.state_size))
                      for gate in split_axis(gates, 4, 2))
        a = tanh(a)
        i = sigmoid(i + self.peep_i(self.c))
        f = sigmoid(f + self.peep_f(self.c))
        self.c = a * i + f * self.c
        o = sigmoid(o + self.peep_o(self.c))
        self.h = o * tanh(self.c)
        return self.h
