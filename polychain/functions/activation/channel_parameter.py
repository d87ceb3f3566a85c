"""Parameters shaped like the leading non-batch axes of the input (prelu's W, swish's beta)."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.reshape import reshape
from polychain.utils import type_check
from polychain.variable import Variable


def check_parameter_shape(x_shape: tuple[int, ...], parameter_shape: tuple[int, ...],
                          name: str) -> None:
    """Raises InvalidType unless ``parameter_shape == x_shape[1:1 + len(parameter_shape)]``."""
    expected = tuple(x_shape[1:1 + len(parameter_shape)])
    if len(x_shape) <= len(parameter_shape) or tuple(parameter_shape) != expected:
        raise type_check.InvalidType(
            f'{name}.shape == x.shape[1:1 + {name}.ndim]',
            f'x.shape == {tuple(x_shape)}, {name}.shape == {tuple(parameter_shape)}')


def aligned_shape(x_ndim: int, parameter_shape: tuple[int, ...]) -> tuple[int, ...]:
    """The parameter's shape padded with ones to broadcast against the input from axis 1."""
    trailing = x_ndim - 1 - len(parameter_shape)
    return (1,) + tuple(parameter_shape) + (1,) * trailing


def broadcast_parameter(parameter: Any, x_shape: tuple[int, ...]) -> Variable:
    """``parameter`` broadcast to ``x_shape`` from axis 1, differentiably."""
    return broadcast_to(reshape(parameter, aligned_shape(len(x_shape), parameter.shape)),
                        x_shape)
