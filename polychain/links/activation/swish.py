"""The swish layer."""

from __future__ import annotations

from typing import Any

from polychain.functions.activation.swish import swish
from polychain.link import Link
from polychain.parameter import Parameter
from polychain.variable import Variable


class Swish(Link):
    """Swish, ``x * sigmoid(beta * x)``, with a learned ``beta`` (see
    :func:`~polychain.functions.swish`).

    Args:
        beta_shape: Shape of ``beta``, or ``None`` to take ``x.shape[1:]`` on
            the first call.
        beta_init: Initial value or initializer of ``beta``.

    Attributes:
        beta: The learned ``beta``.
    """

    def __init__(self, beta_shape: Any, beta_init: Any = 1.0) -> None:
        super().__init__()
        with self.init_scope():
            self.beta = Parameter(beta_init)
            if beta_shape is not None:
                self.beta.initialize(beta_shape)

    def forward(self, x: Any) -> Variable:
        """Applies swish to ``x``."""
        if self.beta.array is None:
            self.beta.initialize(tuple(x.shape[1:]))
        return swish(x, self.beta)
