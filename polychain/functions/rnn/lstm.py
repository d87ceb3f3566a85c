"""lstm: the LSTM cell as an activation function of precomputed gate inputs."""

from __future__ import annotations

from typing import Any

from polychain.functions.activation.sigmoid import sigmoid
from polychain.functions.activation.tanh import tanh
from polychain.functions.array.concat import concat, split_axis
from polychain.functions.array.reshape import reshape
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def extract_gates(x: Any) -> tuple[Variable, ...]:
    """The four gate inputs ``a, i, f, o`` of ``x``, interleaved along its second axis.

    Unit ``k`` of gate ``g`` is ``x[:, 4 * k + g]``: ``x`` is read as
    ``(B, units, 4, ...)``.
    """
    shape = tuple(x.shape)
    gates = split_axis(reshape(x, (shape[0], shape[1] // 4, 4) + shape[2:]), 4, axis=2)
    return tuple(reshape(g, (shape[0], shape[1] // 4) + shape[2:]) for g in gates)


def check_cell(function: str, c_name: str, c: Any, x_name: str, x: Any,
               same_batch: bool) -> None:
    """Raises InvalidType unless cell state ``c`` and gate inputs ``x`` fit together."""
    c_shape, x_shape = tuple(c.shape), tuple(x.shape)
    problems = (
        len(c_shape) < 2 or len(c_shape) != len(x_shape)
        or x_shape[1] != 4 * c_shape[1] or x_shape[2:] != c_shape[2:]
        or (x_shape[0] != c_shape[0] if same_batch else x_shape[0] > c_shape[0])
    )
    if problems:
        batch = f'{x_name}.shape[0] == {c_name}.shape[0]' if same_batch else \
            f'{x_name}.shape[0] <= {c_name}.shape[0]'
        error = InvalidType(f'{c_name}.ndim >= 2, {x_name}.ndim == {c_name}.ndim, {batch}, '
                            f'{x_name}.shape[1] == 4 * {c_name}.shape[1] and equal trailing '
                            f'axes', f'{c_name}.shape == {c_shape}, {x_name}.shape == {x_shape}')
        error.set_function(function)
        raise error
    if c.dtype != x.dtype:
        error = InvalidType(f'{c_name}.dtype == {x_name}.dtype', f'{c.dtype} != {x.dtype}')
        error.set_function(function)
        raise error


def lstm(c_prev: Any, x: Any) -> tuple[Variable, Variable]:
    """Long short-term memory units with forget gates, as an activation function.

    ``x`` holds the gate inputs ``a`` (cell input), ``i`` (input gate), ``f``
    (forget gate) and ``o`` (output gate), interleaved along its second axis
    (``x`` read as ``(B, units, 4, ...)``). The outputs are
    ``c = tanh(a) sigmoid(i) + c_prev sigmoid(f)`` and ``h = tanh(c) sigmoid(o)``.

    When ``x`` has fewer rows than ``c_prev`` (sequences sorted by decreasing
    length), only ``c[:len(x)]`` is updated; the other rows of ``c_prev`` pass
    through unchanged.

    Args:
        c_prev: The previous cell state, of shape ``(B, units, ...)``.
        x: The gate inputs, of shape ``(B', 4 * units, ...)`` with ``B' <= B``.

    Returns:
        ``(c, h)``: the new cell state (``c_prev``'s shape) and the output
        (``(B', units, ...)``).
    """
    check_cell('lstm', 'c_prev', c_prev, 'x', x, same_batch=False)
    a, i, f, o = extract_gates(x)
    batch = x.shape[0]
    c_rest = None
    if c_prev.shape[0] > batch:
        c_prev, c_rest = split_axis(c_prev, [batch], axis=0)
    c = tanh(a) * sigmoid(i) + sigmoid(f) * c_prev
    h = sigmoid(o) * tanh(c)
    if c_rest is not None:
        c = concat((c, c_rest), axis=0)
    return c, h

