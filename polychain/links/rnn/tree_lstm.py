"""ChildSumTreeLSTM and NaryTreeLSTM: TreeLSTM units that merge the states of a node's children."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.functions.activation.sigmoid import sigmoid
from polychain.functions.activation.tanh import tanh
from polychain.functions.array.concat import concat, split_axis
from polychain.functions.rnn.tree_lstm import tree_lstm
from polychain.link import Chain
from polychain.links.connection.linear import Linear
from polychain.links.rnn.state import zero_state
from polychain.variable import Variable


class _TreeLSTMBase(Chain):
    """What both units share: splitting the arguments, and zeros for missing ones."""

    in_size: int
    state_size: int

    def _split(self, cshsx: Sequence[Any]) -> tuple[list[Any], list[Any], Any]:
        """``(cs, hs, x)`` of the arguments ``c_1 .. c_N, h_1 .. h_N, x``; a missing ``x`` is
        zeros."""
        if len(cshsx) % 2 != 1:
            raise ValueError(f'{type(self).__name__}: expected the arguments c_1..c_N, '
                             f'h_1..h_N, x (an odd number), received {len(cshsx)}')
        n = len(cshsx) // 2
        cs, hs, x = list(cshsx[:n]), list(cshsx[n:-1]), cshsx[-1]
        if x is None:
            given = [v for v in cs + hs if v is not None]
            if not given:
                raise ValueError(f'{type(self).__name__}: all inputs (cs, hs, x) are None')
            x = zero_state(self.device, (given[0].shape[0], self.in_size), given[0].dtype)
        return cs, hs, x

    def _zeros_for_missing(self, vs: list[Any], x: Any) -> list[Any]:
        return [zero_state(self.device, (x.shape[0], self.state_size), x.dtype) if v is None
                else v for v in vs]


class ChildSumTreeLSTM(_TreeLSTMBase):
    """Child-Sum TreeLSTM unit: any number of children, in any order.

    Called as ``link(c_1, .., c_N, h_1, .., h_N, x)``; the input, input and
    output gates see the sum of the children's outputs, and each child's forget
    gate its own output. Any argument may be ``None`` (zeros), but not all.

    Args:
        in_size: Dimension of the input ``x``.
        out_size: Dimension of the cell state and the output.

    Attributes:
        W_x: ``Linear(in_size, 4 * out_size)`` from ``x`` to ``a, i, o, f``.
        W_h_aio: ``Linear(out_size, 3 * out_size, nobias=True)`` from the summed outputs.
        W_h_f: ``Linear(out_size, out_size, nobias=True)`` from each child's output.
    """

    def __init__(self, in_size: int, out_size: int) -> None:
        super().__init__()
        with self.init_scope():
            self.W_x = Linear(in_size, 4 * out_size)
            self.W_h_aio = Linear(out_size, 3 * out_size, nobias=True)
            self.W_h_f = Linear(out_size, out_size, nobias=True)
        self.in_size = in_size
        self.state_size = out_size

    def forward(self, *cshsx: Any) -> tuple[Variable, Variable]:
        """``(c, h)`` of the node from its children's ``cs``, ``hs`` and its input ``x``."""
        cs, hs, x = self._split(cshsx)
        from_x_aio, from_x_f = split_axis(self.W_x(x), [3 * self.state_size], axis=1)
        if not hs:
            a, i, o = split_axis(from_x_aio, 3, axis=1)
            c = sigmoid(i) * tanh(a)
            return c, sigmoid(o) * tanh(c)
        hs = self._zeros_for_missing(hs, x)
        cs = self._zeros_for_missing(cs, x)
        summed = hs[0]
        for h in hs[1:]:
            summed = summed + h
        aio = self.W_h_aio(summed) + from_x_aio
        forgets = split_axis(self.W_h_f(concat(hs, axis=0)), len(hs), axis=0)
        gates = concat([aio] + [f + from_x_f for f in forgets], axis=1)
        return tree_lstm(*cs, gates)


class NaryTreeLSTM(_TreeLSTMBase):
    """N-ary TreeLSTM unit: exactly ``n_ary`` ordered children, each with its own weights.

    Called as ``link(c_1, .., c_N, h_1, .., h_N, x)``; any argument may be
    ``None`` (zeros), but not all.

    Args:
        in_size: Dimension of the input ``x``.
        out_size: Dimension of the cell state and the output.
        n_ary: Number of children (at least 1).

    Attributes:
        W_x: ``Linear(in_size, (3 + n_ary) * out_size)`` from ``x``.
        W_h1 .. W_h{n_ary}: ``Linear(out_size, (3 + n_ary) * out_size, nobias=True)`` from
            each child's output.
    """

    def __init__(self, in_size: int, out_size: int, n_ary: int = 2) -> None:
        if n_ary < 1:
            raise ValueError(f'NaryTreeLSTM: expected n_ary >= 1, received {n_ary}')
        super().__init__()
        with self.init_scope():
            self.W_x = Linear(in_size, (3 + n_ary) * out_size)
            for i in range(1, n_ary + 1):
                setattr(self, f'W_h{i}', Linear(out_size, (3 + n_ary) * out_size, nobias=True))
        self.in_size = in_size
        self.state_size = out_size
        self.n_ary = n_ary

    def forward(self, *cshsx: Any) -> tuple[Variable, Variable]:
        """``(c, h)`` of the node from its children's ``cs``, ``hs`` and its input ``x``."""
        if len(cshsx) != 2 * self.n_ary + 1:
            raise ValueError(f'NaryTreeLSTM: expected {2 * self.n_ary + 1} arguments '
                             f'(c_1..c_{self.n_ary}, h_1..h_{self.n_ary}, x), received '
                             f'{len(cshsx)}')
        cs, hs, x = self._split(cshsx)
        gates = self.W_x(x)
        for i, h in enumerate(hs, 1):
            if h is not None:
                gates = gates + getattr(self, f'W_h{i}')(h)
        return tree_lstm(*self._zeros_for_missing(cs, x), gates)
