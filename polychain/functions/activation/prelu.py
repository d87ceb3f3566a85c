"""prelu: leaky ReLU whose negative slope is a learned parameter."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.activation.channel_parameter import (
    aligned_shape,
    broadcast_parameter,
    check_parameter_shape,
)
from polychain.functions.array.broadcast import sum_to
from polychain.functions.array.reshape import reshape
from polychain.variable import Variable


class PReLU(FunctionNode):
    """x for x >= 0, W * x otherwise, W broadcast along axis 1 onwards."""

    _retain_input_indexes = (0, 1)

    def check_type_forward(self, in_types):
        x_type, w_type = in_types
        check_parameter_shape(x_type.shape, w_type.shape, 'W')

    def forward(self, inputs):
        xp = self.xp
        x, W = inputs  # noqa: N806
        slope = xp.reshape(W, aligned_shape(x.ndim, tuple(W.shape)))
        return xp.where(x >= 0, x, x * slope),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        x, W = self.get_retained_inputs()  # noqa: N806
        negative = self.xp.astype(x.array < 0, x.dtype)
        grads = []
        if 0 in indexes:
            slope = broadcast_parameter(W, x.shape) * negative + (1.0 - negative)
            grads.append(gy * slope)
        if 1 in indexes:
            gw = sum_to(gy * x * negative, aligned_shape(x.ndim, W.shape))
            grads.append(reshape(gw, W.shape))
        return tuple(grads)


def prelu(x: Any, W: Any) -> Variable:  # noqa: N803
    """Parametric ReLU: ``x`` where ``x >= 0``, ``W * x`` elsewhere.

    ``W`` covers the axes of ``x`` right after the batch axis and is broadcast
    over the rest.

    Args:
        x: Input variable or array of shape ``(s_B, s_1, ..., s_N)``.
        W: Slopes of shape ``(s_1, ..., s_M)`` with ``M < N + 1``.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return PReLU().apply((x, W))[0]
