"""Minimal gated units: StatelessMGU and StatefulMGU."""

from __future__ import annotations

from typing import Any

from polychain.functions import concat, linear_interpolate, sigmoid, tanh
from polychain.link import Chain
from polychain.links.connection.linear import Linear
from polychain.links.rnn.state import RecurrentState, state_variable, zero_state
from polychain.variable import Variable


class MGUBase(Chain):
    """The two gates of a minimal gated unit (Zhou et al., 2016), over ``[h, x]``.

    ``f = sigmoid(W_f [h, x])``, ``h_new = f * tanh(W_h [f * h, x]) + (1 - f) * h``.

    Args:
        in_size: Dimension of the input ``x``.
        out_size: Dimension of the hidden state ``h``.
    """

    def __init__(self, in_size: int, out_size: int) -> None:
        super().__init__()
        with self.init_scope():
            self.W_f = Linear(in_size + out_size, out_size)
            self.W_h = Linear(in_size + out_size, out_size)

    def _step(self, h: Any, x: Any) -> Variable:
        f = sigmoid(self.W_f(concat((h, x), axis=1)))
        h_bar = tanh(self.W_h(concat((f * h, x), axis=1)))
        return linear_interpolate(f, h_bar, h)


class StatelessMGU(MGUBase):
    """A minimal gated unit without state: ``h_new = link(h, x)``.

    Args:
        in_size: Dimension of the input ``x``.
        out_size: Dimension of the hidden state ``h``.
    """

    def forward(self, h: Any, x: Any) -> Variable:
        """The next hidden state from the hidden state ``h`` and the input ``x``."""
        return self._step(h, x)


class StatefulMGU(RecurrentState, MGUBase):
    """A minimal gated unit that keeps its hidden state ``h``: ``h_new = link(x)``.

    Args:
        in_size: Dimension of the input ``x``.
        out_size: Dimension of the hidden state ``h``.

    Attributes:
        h: The hidden state (``None`` before the first call: zeros).
    """

    def __init__(self, in_size: int, out_size: int) -> None:
        super().__init__(in_size, out_size)
        self._state_size = out_size
        self.reset_state()

    def set_state(self, h: Variable) -> None:
        """Sets the hidden state ``h`` (moved to the link's device)."""
        self.h = state_variable(type(self).__name__, 'h', h, self.device)

    def forward(self, x: Any) -> Variable:
        """Updates the hidden state with the input ``x`` and returns it."""
        h = self.h
        if h is None:
            h = zero_state(self.device, (x.shape[0], self._state_size), x.dtype)
        self.h = self._step(h, x)
        return self.h
