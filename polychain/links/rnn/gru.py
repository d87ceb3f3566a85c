"""Gated recurrent units: StatelessGRU, StatefulGRU and its alias GRU."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from polychain.functions.activation.sigmoid import sigmoid
from polychain.functions.activation.tanh import tanh
from polychain.link import Chain
from polychain.links.connection.linear import Linear
from polychain.links.rnn.state import RecurrentState, state_variable
from polychain.variable import Variable


class GRUBase(Chain):
    """The six connections of a GRU: ``W_r, U_r, W_z, U_z, W, U``.

    Args:
        in_size: Input dimension, or ``None`` to infer it from the first input.
        out_size: Dimension of the hidden state.
        init: Initializer of the input weights ``W_r, W_z, W``.
        inner_init: Initializer of the recurrent weights ``U_r, U_z, U``.
        bias_init: Initializer of every bias.
    """

    def __init__(self, in_size: int | None, out_size: int, init: Any = None,
                 inner_init: Any = None, bias_init: Any = None) -> None:
        super().__init__()
        self.in_size = in_size
        self.out_size = out_size
        with self.init_scope():
            self.W_r = Linear(in_size, out_size, initialW=init, initial_bias=bias_init)
            self.U_r = Linear(out_size, out_size, initialW=inner_init, initial_bias=bias_init)
            self.W_z = Linear(in_size, out_size, initialW=init, initial_bias=bias_init)
            self.U_z = Linear(out_size, out_size, initialW=inner_init, initial_bias=bias_init)
            self.W = Linear(in_size, out_size, initialW=init, initial_bias=bias_init)
            self.U = Linear(out_size, out_size, initialW=inner_init, initial_bias=bias_init)

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield 'in_size', self.in_size
        yield 'out_size', self.out_size

    def _step(self, h: Any, x: Any) -> Variable:
        """``h' = (1 - z) h + z h_bar``; with ``h`` ``None``, ``h' = z h_bar`` from zeros."""
        z = self.W_z(x)
        h_bar = self.W(x)
        if h is not None:
            r = sigmoid(self.W_r(x) + self.U_r(h))
            z = z + self.U_z(h)
            h_bar = h_bar + self.U(r * h)
        z = sigmoid(z)
        h_bar = tanh(h_bar)
        if h is None:
            return z * h_bar
        return h + z * (h_bar - h)


class StatelessGRU(GRUBase):
    """A GRU that keeps no state: ``h_new = link(h, x)``.

    ``r = sigmoid(W_r x + U_r h)``, ``z = sigmoid(W_z x + U_z h)``,
    ``h_bar = tanh(W x + U (r h))`` and ``h_new = (1 - z) h + z h_bar``.

    Args:
        in_size: Input dimension, or ``None`` to infer it from the first input.
        out_size: Dimension of the hidden state.
        init: Initializer of the input weights.
        inner_init: Initializer of the recurrent weights.
        bias_init: Initializer of every bias.
    """

    def forward(self, h: Any, x: Any) -> Variable:
        """Returns the next hidden state from ``h`` and the input ``x``."""
        return self._step(h, x)


class StatefulGRU(RecurrentState, GRUBase):
    """A GRU that keeps its hidden state ``h``: ``h_new = link(x)``.

    The first call (or the first after :meth:`reset_state`) starts from a
    zero state, which gives ``h_new = z h_bar``.

    Args:
        in_size: Input dimension, or ``None`` to infer it from the first input.
        out_size: Dimension of the hidden state.
        init: Initializer of the input weights.
        inner_init: Initializer of the recurrent weights.
        bias_init: Initializer of every bias (default 0).

    Attributes:
        h: The hidden state (``None`` before the first call).
    """

    def __init__(self, in_size: int | None, out_size: int, init: Any = None,
                 inner_init: Any = None, bias_init: Any = 0) -> None:
        super().__init__(in_size, out_size, init, inner_init, bias_init)
        self.state_size = out_size
        self.reset_state()

    def set_state(self, h: Variable) -> None:
        """Sets the hidden state ``h`` (moved to the link's device)."""
        self.h = state_variable(type(self).__name__, 'h', h, self.device)

    def forward(self, x: Any) -> Variable:
        """Updates the hidden state with the input ``x`` and returns it."""
        self.h = self._step(self.h, x)
        return self.h


class GRU(StatefulGRU):
    """The stateful GRU (an alias of :class:`StatefulGRU`): ``h_new = link(x)``.

    Args:
        in_size: Input dimension, or ``None`` to infer it from the first input.
        out_size: Dimension of the hidden state.
        init: Initializer of the input weights.
        inner_init: Initializer of the recurrent weights.
        bias_init: Initializer of every bias (default 0).
    """

    def forward(self, *args: Any) -> Variable:
        """Updates the hidden state with the one input ``x`` and returns it."""
        if len(args) != 1:
            hint = (' GRU is stateful; use StatelessGRU for link(h, x)' if len(args) == 2
                    else '')
            raise ValueError(f'GRU.forward: expected one argument x, received '
                             f'{len(args)}.{hint}')
        return super().forward(args[0])
