"""The LSTM cell shared by lstm and slstm, and its first and second derivatives.

A cell merges ``K`` children (``K = 1`` for :func:`lstm`, 2 for :func:`slstm`):
with the gates ``a_k, i_k, f_k, o_k`` of each child's input ``x_k``,
``c = sum_k tanh(a_k) sigmoid(i_k) + sigmoid(f_k) c_k`` and
``h = sigmoid(sum_k o_k) tanh(c)``. The forward and the gradient (the forward
of the ``*Grad`` nodes) work on arrays; the gradient of the gradient works on
Variables, so that the cells can be differentiated twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.functions.activation.sigmoid import sigmoid
from polychain.functions.activation.tanh import tanh
from polychain.functions.array.concat import split_axis
from polychain.functions.array.reshape import reshape
from polychain.functions.array.stack import stack
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def check_cell(function: str, c_name: str, c: Any, x_name: str, x: Any,
               same_batch: bool) -> None:
    """Raises :class:`InvalidType` unless ``x`` holds the gate inputs of the cell state ``c``."""
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


def _gate_shape(x: Any) -> tuple[int, ...]:
    shape = tuple(x.shape)
    return (shape[0], shape[1] // 4, 4) + shape[2:]


def split_gates(xp: Any, x: Any) -> tuple[Any, ...]:
    """The gate arrays ``a, i, f, o`` of ``x``: unit ``k`` of gate ``g`` is ``x[:, 4 * k + g]``."""
    r = xp.reshape(x, _gate_shape(x))
    return tuple(r[:, :, g, ...] for g in range(4))


def merge_gates(xp: Any, gates: Sequence[Any]) -> Any:
    """The inverse of :func:`split_gates`."""
    y = xp.stack(tuple(gates), axis=2)
    return xp.reshape(y, (y.shape[0], y.shape[1] * 4) + tuple(y.shape[3:]))


def extract_gates(x: Any) -> tuple[Variable, ...]:
    """The gate Variables ``a, i, f, o`` of ``x``, as in :func:`split_gates`."""
    shape = _gate_shape(x)
    gates = split_axis(reshape(x, shape), 4, axis=2)
    return tuple(reshape(g, shape[:2] + shape[3:]) for g in gates)


def _merge_gate_variables(gates: Sequence[Variable]) -> Variable:
    y = stack(tuple(gates), axis=2)
    return reshape(y, (y.shape[0], y.shape[1] * 4) + tuple(y.shape[3:]))


def _sigmoid(xp: Any, v: Any) -> Any:
    return xp.tanh(v * 0.5) * 0.5 + 0.5


def cell_forward(xp: Any, c_prevs: Sequence[Any], xs: Sequence[Any]) -> tuple[Any, Any]:
    """``(c, h)`` of a cell from its children's states and gate inputs (arrays)."""
    c = o_sum = None
    for c_prev, x in zip(c_prevs, xs):
        a, i, f, o = split_gates(xp, x)
        term = xp.tanh(a) * _sigmoid(xp, i) + _sigmoid(xp, f) * c_prev
        c = term if c is None else c + term
        o_sum = o if o_sum is None else o_sum + o
    return c, _sigmoid(xp, o_sum) * xp.tanh(c)


def cell_grad_forward(xp: Any, c_prevs: Sequence[Any], xs: Sequence[Any], c: Any, gc: Any,
                      gh: Any) -> tuple[list[Any], list[Any]]:
    """The gradients of the children's states and gate inputs (arrays).

    ``c`` is the cell's output state; ``gc`` and ``gh`` the gradients of its outputs.
    """
    gates = [split_gates(xp, x) for x in xs]
    o = _sigmoid(xp, _sum(g[3] for g in gates))
    co = xp.tanh(c)
    gc_total = gh * o * (1 - co * co) + gc
    go = gh * co * o * (1 - o)
    gc_prevs, gxs = [], []
    for c_prev, (a, i, f, _) in zip(c_prevs, gates):
        a, i, f = xp.tanh(a), _sigmoid(xp, i), _sigmoid(xp, f)
        gc_prevs.append(gc_total * f)
        gxs.append(merge_gates(xp, (gc_total * i * (1 - a * a), gc_total * a * i * (1 - i),
                                    gc_total * c_prev * f * (1 - f), go)))
    return gc_prevs, gxs


def cell_grad_backward(c_prevs: Sequence[Variable], xs: Sequence[Variable], c: Variable,
                       gc: Variable, gh: Variable, gg_c_prevs: Sequence[Variable],
                       gg_xs: Sequence[Variable]) -> tuple[list[Variable], list[Variable],
                                                          Variable, Variable, Variable]:
    """The gradients of :func:`cell_grad_forward`'s inputs (Variables).

    Given the gradients ``gg_c_prevs`` and ``gg_xs`` of its outputs, returns those
    of ``c_prevs``, ``xs``, ``c``, ``gc`` and ``gh``.
    """
    gates = [extract_gates(x) for x in xs]
    gg_gates = [extract_gates(gg) for gg in gg_xs]
    o = sigmoid(_sum(g[3] for g in gates))
    do = o * (1 - o)
    co = tanh(c)
    dco = 1 - co * co
    gc_total = gh * o * dco + gc
    # The gradient of the outputs through gc_total, and through go (the same for every child).
    t = go_total = None
    activated = []
    for c_prev, (a, i, f, _), gg_c_prev, (gga, ggi, ggf, ggo) in zip(
            c_prevs, gates, gg_c_prevs, gg_gates):
        a, i, f = tanh(a), sigmoid(i), sigmoid(f)
        da, di, df = 1 - a * a, i * (1 - i), f * (1 - f)
        activated.append((a, i, f, da, di, df))
        term = gg_c_prev * f + gga * i * da + ggi * a * di + ggf * c_prev * df
        t = _sum((t, term))
        go_total = _sum((go_total, ggo))
    g_gc = t
    g_gh = t * o * dco + go_total * co * do
    g_c = gh * (go_total * do - 2 * t * o * co) * dco
    g_o = gh * do * (t * dco + go_total * co * (1 - 2 * o))
    g_c_prevs, g_xs = [], []
    for c_prev, (a, i, f, da, di, df), gg_c_prev, (gga, ggi, ggf, _) in zip(
            c_prevs, activated, gg_c_prevs, gg_gates):
        g_c_prevs.append(ggf * gc_total * df)
        g_xs.append(_merge_gate_variables((
            gc_total * da * (ggi * di - 2 * gga * i * a),
            gc_total * di * (gga * da + ggi * a * (1 - 2 * i)),
            gc_total * df * (gg_c_prev + ggf * c_prev * (1 - 2 * f)),
            g_o)))
    return g_c_prevs, g_xs, g_c, g_gc, g_gh


class CallableGrad:
    """Makes a gradient node callable like Chainer's ``Function`` objects.

    Each call applies a fresh node of the same class to the inputs and returns
    its outputs, so that one instance can be called repeatedly (as
    ``gradient_check.check_backward`` does).
    """

    def __call__(self, *inputs: Any) -> tuple[Variable, ...]:
        return type(self)().apply(inputs)


def _sum(terms: Any) -> Any:
    total = None
    for term in terms:
        if term is not None:
            total = term if total is None else total + term
    return total
