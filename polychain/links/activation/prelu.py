"""The parametric ReLU layer."""

from __future__ import annotations

from typing import Any

from polychain.functions.activation.prelu import prelu
from polychain.link import Link
from polychain.parameter import Parameter
from polychain.variable import Variable


class PReLU(Link):
    """Parametric ReLU with a learned slope ``W`` (see :func:`~polychain.functions.prelu`).

    Args:
        shape: Shape of ``W``; it covers the input's axes after the batch axis
            (``()`` shares one slope over all of them).
        init: Initial value or initializer of ``W``.

    Attributes:
        W: The negative slopes.
    """

    def __init__(self, shape: Any = (), init: Any = 0.25) -> None:
        super().__init__()
        with self.init_scope():
            self.W = Parameter(init, shape)

    def forward(self, x: Any) -> Variable:
        """Applies the parametric ReLU to ``x``."""
        return prelu(x, self.W)
