"""swish."""

from __future__ import annotations

from typing import Any

from polychain.functions.activation.channel_parameter import (
    broadcast_parameter,
    check_parameter_shape,
)
from polychain.functions.activation.sigmoid import sigmoid
from polychain.utils import type_check
from polychain.variable import Variable


def swish(x: Any, beta: Any) -> Variable:
    """Swish, ``x * sigmoid(beta * x)``, with a learned ``beta``.

    ``beta`` covers the axes of ``x`` right after the batch axis and is
    broadcast over the rest.

    Args:
        x: Input variable or array of shape ``(s_B, s_1, ..., s_N)``.
        beta: Variable or array of shape ``(s_1, ..., s_M)`` with ``M < N + 1``.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    try:
        check_parameter_shape(tuple(x.shape), tuple(beta.shape), 'beta')
    except type_check.InvalidType as error:
        error.set_function('swish')
        raise
    return sigmoid(broadcast_parameter(beta, tuple(x.shape)) * x) * x
