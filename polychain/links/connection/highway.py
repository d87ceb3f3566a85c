"""The highway layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.functions.activation.relu import relu
from polychain.functions.activation.sigmoid import sigmoid
from polychain.link import Chain
from polychain.links.connection.linear import Linear
from polychain.variable import Variable


class Highway(Chain):
    """Highway layer: ``y = h(x W_H + b_H) * T + x * (1 - T)``, ``T = sigmoid(x W_T + b_T)``.

    Args:
        in_out_size: Size of the input and the output.
        nobias: Leave the biases ``b_H`` and ``b_T`` out.
        activate: The activation ``h`` of the plain path.
        init_Wh: Initializer of ``W_H`` (default LeCun normal).
        init_Wt: Initializer of ``W_T`` (default LeCun normal).
        init_bh: Initializer of ``b_H`` (default 0).
        init_bt: Initializer of ``b_T`` (default -1, which favours carrying ``x``).

    Attributes:
        plain: The :class:`Linear` link of the plain path.
        transform: The :class:`Linear` link of the transform gate.
    """

    def __init__(self, in_out_size: int, nobias: bool = False,
                 activate: Callable[[Any], Any] = relu, init_Wh: Any = None,  # noqa: N803
                 init_Wt: Any = None, init_bh: Any = None, init_bt: Any = -1) -> None:  # noqa: N803
        super().__init__()
        self.activate = activate
        with self.init_scope():
            self.plain = Linear(in_out_size, in_out_size, nobias=nobias, initialW=init_Wh,
                                initial_bias=init_bh)
            self.transform = Linear(in_out_size, in_out_size, nobias=nobias,
                                    initialW=init_Wt, initial_bias=init_bt)

    def forward(self, x: Any) -> Variable:
        """Applies the layer to ``x`` of shape ``(N, in_out_size)``."""
        out_plain = self.activate(self.plain(x))
        gate = sigmoid(self.transform(x))
        return out_plain * gate + (1 - gate) * x
