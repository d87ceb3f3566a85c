"""Fully connected LSTM layers: StatelessLSTM and the stateful LSTM."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy

from polychain import initializers
from polychain.functions.array.concat import concat, split_axis
from polychain.functions.rnn.lstm import lstm
from polychain.link import Chain
from polychain.links.connection.linear import Linear
from polychain.links.rnn.state import RecurrentState, state_variable, zero_state
from polychain.variable import Variable


class _GateBlocks(initializers.Initializer):
    """Fills each gate's block of rows of a ``(4 * units, fan_in)`` weight separately."""

    def __init__(self, initializer: Any) -> None:
        self.initializer = initializers.get_initializer(initializer)
        super().__init__(getattr(self.initializer, 'dtype', None))

    def fill(self, array: numpy.ndarray) -> None:
        units = array.shape[0] // 4
        for start in range(0, 4 * units, units):
            self.initializer(array[start:start + units])


class _GateBiases(initializers.Initializer):
    """Fills the interleaved ``a, i, f, o`` biases: the forget gate's with its own initializer."""

    def __init__(self, bias_init: Any, forget_bias_init: Any) -> None:
        self.bias_init = initializers.get_initializer(bias_init)
        self.forget_bias_init = initializers.get_initializer(forget_bias_init)
        super().__init__(getattr(self.bias_init, 'dtype', None))

    def fill(self, array: numpy.ndarray) -> None:
        gates = array.reshape(-1, 4)
        for gate in range(4):
            chosen = self.forget_bias_init if gate == 2 else self.bias_init
            chosen(gates[:, gate])


class LSTMBase(Chain):
    """The upward and lateral connections shared by :class:`LSTM` and :class:`StatelessLSTM`.

    Args:
        in_size: Input dimension, or ``None`` to infer it from the first input;
            with ``out_size`` omitted, the only size given is ``out_size``.
        out_size: Dimension of the cell state and output.
        lateral_init: Initializer of each gate's block of the lateral weight
            (default :class:`~polychain.initializers.LeCunNormal`).
        upward_init: Initializer of each gate's block of the upward weight
            (default :class:`~polychain.initializers.LeCunNormal`).
        bias_init: Initializer of the biases of the cell input, input and output gates
            (default 0).
        forget_bias_init: Initializer of the forget gate's biases (default 1).
    """

    def __init__(self, in_size: int | None, out_size: int | None = None, lateral_init: Any = None,
                 upward_init: Any = None, bias_init: Any = None,
                 forget_bias_init: Any = None) -> None:
        super().__init__()
        if out_size is None:
            in_size, out_size = None, in_size
        self.state_size = out_size
        biases = _GateBiases(0 if bias_init is None else bias_init,
                             1 if forget_bias_init is None else forget_bias_init)
        with self.init_scope():
            self.upward = Linear(in_size, 4 * out_size, initialW=_GateBlocks(upward_init),
                                 initial_bias=biases)
            self.lateral = Linear(out_size, 4 * out_size, initialW=_GateBlocks(lateral_init),
                                  nobias=True)

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield 'in_size', self.upward.in_size
        yield 'out_size', self.state_size


class StatelessLSTM(LSTMBase):
    """A fully connected LSTM layer that keeps no state: ``c, h = link(c, h, x)``.

    Args:
        in_size: Input dimension, or ``None`` to infer it from the first input.
        out_size: Dimension of the cell state and output.
        lateral_init: Initializer of the lateral weight blocks.
        upward_init: Initializer of the upward weight blocks.
        bias_init: Initializer of the biases other than the forget gate's (default 0).
        forget_bias_init: Initializer of the forget gate's biases (default 1).
    """

    def forward(self, c: Any, h: Any, x: Any) -> tuple[Variable, Variable]:
        """Returns ``(c_new, h_new)``; ``c`` or ``h`` may be ``None`` (zeros)."""
        lstm_in = self.upward(x)
        if h is not None:
            lstm_in = lstm_in + self.lateral(h)
        if c is None:
            c = zero_state(self.device, (x.shape[0], self.state_size), x.dtype)
        return lstm(c, lstm_in)


class LSTM(RecurrentState, LSTMBase):
    """A fully connected LSTM layer that keeps its cell state ``c`` and output ``h``.

    Each call takes a batch ``x`` of at most as many rows as the previous one
    (sequences sorted by decreasing length): only the first ``len(x)`` rows of
    the state are updated.

    Args:
        in_size: Input dimension, or ``None`` to infer it from the first input;
            ``LSTM(out_size)`` does that too.
        out_size: Dimension of the cell state and output.
        lateral_init: Initializer of the lateral weight blocks.
        upward_init: Initializer of the upward weight blocks.
        bias_init: Initializer of the biases other than the forget gate's (default 0).
        forget_bias_init: Initializer of the forget gate's biases (default 1).

    Attributes:
        c: The cell state (``None`` before the first call).
        h: The output of the previous call (``None`` before the first call).
    """

    state_names = ('c', 'h')

    def __init__(self, in_size: int | None, out_size: int | None = None, lateral_init: Any = None,
                 upward_init: Any = None, bias_init: Any = None,
                 forget_bias_init: Any = None) -> None:
        super().__init__(in_size, out_size, lateral_init, upward_init, bias_init,
                         forget_bias_init)
        self.reset_state()

    def set_state(self, c: Variable, h: Variable) -> None:
        """Sets the cell state ``c`` and the previous output ``h`` (moved to the link's device)."""
        self.c = state_variable('LSTM', 'c', c, self.device)
        self.h = state_variable('LSTM', 'h', h, self.device)

    def forward(self, x: Any) -> Variable:
        """Updates the state with the batch ``x`` and returns the new output."""
        batch = x.shape[0]
        lstm_in = self.upward(x)
        h_rest = None
        if self.h is not None:
            h_size = self.h.shape[0]
            if batch > h_size:
                raise TypeError(f'LSTM.forward: expected a batch of at most {h_size} rows (the '
                                f'size of the state h), received x of shape {tuple(x.shape)}')
            if batch == 0:
                h_rest = self.h
            elif batch < h_size:
                h_update, h_rest = split_axis(self.h, [batch], axis=0)
                lstm_in = lstm_in + self.lateral(h_update)
            else:
                lstm_in = lstm_in + self.lateral(self.h)
        if self.c is None:
            self.c = zero_state(self.device, (batch, self.state_size), x.dtype)
        self.c, y = lstm(self.c, lstm_in)
        if h_rest is None:
            self.h = y
        elif batch == 0:
            self.h = h_rest
        else:
            self.h = concat((y, h_rest), axis=0)
        return y
