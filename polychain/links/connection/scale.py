"""The scale layer: multiplies by a learned or given scale along some axes."""

from __future__ import annotations

from typing import Any

from polychain.functions.math.combination import scale
from polychain.link import Chain
from polychain.links.connection.bias import Bias, check_operand_count
from polychain.parameter import Parameter
from polychain.variable import Variable


class Scale(Chain):
    """Broadcasted elementwise product with a learned (or given) scale, and an optional bias.

    Args:
        axis: The first axis of the input that the scale covers.
        W_shape: Shape of the learned scale ``W`` (initialised to 1), or
            ``None`` to take the scale as the second input of each call.
        bias_term: Add a learned bias (a :class:`Bias` link) after scaling.
        bias_shape: Shape of the bias when ``W_shape`` is ``None``.

    Attributes:
        W: The scale, when ``W_shape`` is given.
        bias: The :class:`Bias` link, when ``bias_term`` is ``True``.
    """

    def __init__(self, axis: int = 1, W_shape: Any = None, bias_term: bool = False,  # noqa: N803
                 bias_shape: Any = None) -> None:
        super().__init__()
        self.axis = axis
        with self.init_scope():
            if W_shape is not None:
                self.W = Parameter(1, W_shape)
                if bias_term:
                    self.bias = Bias(axis, W_shape)
            elif bias_term:
                if bias_shape is None:
                    raise ValueError('Scale: expected bias_shape when W_shape is None and '
                                     'bias_term is True, received bias_shape=None')
                self.bias = Bias(axis, bias_shape)

    def forward(self, *xs: Any) -> Variable:
        """``x * W`` (plus the bias); ``xs`` is ``(x,)`` with a learned ``W``, or ``(x, W)``."""
        check_operand_count('Scale', xs, hasattr(self, 'W'), 'W')
        w = xs[1] if len(xs) == 2 else self.W
        z = scale(xs[0], w, self.axis)
        if hasattr(self, 'bias'):
            z = self.bias(z)
        return z
