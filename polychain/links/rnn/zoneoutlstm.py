"""The fully connected LSTM layer with zoneout on its states."""

from __future__ import annotations

from typing import Any

from polychain.functions import reshape, sigmoid, split_axis, tanh, zoneout
from polychain.link import Chain
from polychain.links.connection.linear import Linear
from polychain.links.rnn.state import RecurrentState, zero_state
from polychain.variable import Variable


class StatefulZoneoutLSTM(RecurrentState, Chain):
    """An LSTM layer whose cell state and output keep their previous values at random units.

    In training, each unit of the new cell state ``c`` keeps its previous
    value with probability ``c_ratio`` and each unit of the output ``h`` with
    probability ``h_ratio`` (see :func:`~polychain.functions.zoneout`).

    See: D. Krueger et al., `Zoneout <https://arxiv.org/abs/1606.01305>`_.

    Args:
        in_size: Dimension of the input ``x``.
        out_size: Dimension of the cell state and the output.
        c_ratio: Zoneout ratio of the cell state.
        h_ratio: Zoneout ratio of the output.

    Raises:
        ValueError: The ``train`` argument of old Chainer versions is given.

    Attributes:
        c: The cell state (``None`` before the first call: zeros).
        h: The output of the previous call (``None`` before the first call: zeros).
    """

    state_names = ('c', 'h')

    def __init__(self, in_size: int, out_size: int, c_ratio: float = 0.5,
                 h_ratio: float = 0.5, **kwargs: Any) -> None:
        if 'train' in kwargs:
            raise ValueError("StatefulZoneoutLSTM: the train argument is not supported "
                             "anymore; use polychain.using_config('train', ...)")
        if kwargs:
            raise TypeError(f'StatefulZoneoutLSTM: unexpected keyword arguments '
                            f'{sorted(kwargs)}')
        super().__init__()
        self.state_size = out_size
        self.c_ratio = c_ratio
        self.h_ratio = h_ratio
        self.reset_state()
        with self.init_scope():
            self.upward = Linear(in_size, 4 * out_size)
            self.lateral = Linear(out_size, 4 * out_size, nobias=True)

    def forward(self, x: Any) -> Variable:
        """Updates the state with the batch ``x`` and returns the new output ``h``."""
        lstm_in = self.upward(x)
        shape = (x.shape[0], self.state_size)
        if self.h is not None:
            lstm_in = lstm_in + self.lateral(self.h)
        else:
            self.h = zero_state(self.device, shape, x.dtype)
        if self.c is None:
            self.c = zero_state(self.device, shape, x.dtype)
        gates = reshape(lstm_in, (x.shape[0], self.state_size, 4))
        a, i, f, o = (reshape(gate, shape) for gate in split_axis(gates, 4, 2))
        c_new = tanh(a) * sigmoid(i) + sigmoid(f) * self.c
        self.c = zoneout(self.c, c_new, self.c_ratio)
        self.h = zoneout(self.h, sigmoid(o) * tanh(c_new), self.h_ratio)
        return self.h
