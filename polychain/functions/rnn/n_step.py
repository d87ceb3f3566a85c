"""The stacked, optionally bidirectional recurrence shared by the n_step_* functions.

A recurrence is described by a :class:`Cell`: how many weight matrices a
layer has, how they combine into one input projection and one hidden
projection, and one time step. The input projection of every time step of a
layer is computed in one matrix product.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy

from polychain.functions.array.concat import concat, split_axis
from polychain.functions.array.stack import separate, stack
from polychain.functions.connection.linear import linear
from polychain.functions.noise.dropout import dropout
from polychain.variable import Variable

#: ``(x_projection_t, h, c, hidden_weight, hidden_bias) -> (h_new, c_new)``.
Step = Callable[[Variable, Any, Any, Any, Any], tuple[Variable, Any]]
#: ``(ws_layer, bs_layer) -> (input_weight, input_bias, hidden_weight, hidden_bias)``.
Projections = Callable[[Sequence[Any], Sequence[Any]], tuple[Any, Any, Any, Any]]


@dataclass(frozen=True)
class Cell:
    """One kind of recurrence.

    Args:
        name: The public function name, for error messages.
        n_weights: Weight matrices (and bias vectors) per layer and direction;
            the first half multiplies the input, the second half the hidden state.
        projections: Combines one layer's weights into the input and hidden projections.
        step: One time step from the input projection and the previous state.
        has_cell_state: Whether the recurrence carries a cell state ``c`` (LSTM).
    """

    name: str
    n_weights: int
    projections: Projections
    step: Step
    has_cell_state: bool = False


def check_arguments(cell: Cell, n_layers: int, directions: int, hx: Any, cx: Any,
                    ws: Sequence[Sequence[Any]], bs: Sequence[Sequence[Any]],
                    xs: Sequence[Any]) -> None:
    """Raises ValueError naming the argument of ``cell.name`` that does not fit the others."""
    name = cell.name
    stacks = n_layers * directions
    if not xs:
        raise ValueError(f'{name}: expected at least one time step in xs, received none')
    batches = [x.shape[0] for x in xs]
    if any(b > a for a, b in zip(batches, batches[1:])):
        raise ValueError(f'{name}: expected xs[t].shape[0] >= xs[t + 1].shape[0] (sequences '
                         f'sorted by decreasing length, then transposed), received batch sizes '
                         f'{batches}')
    if len(ws) != stacks or len(bs) != stacks:
        raise ValueError(f'{name}: expected n_layers * {directions} = {stacks} lists of weights '
                         f'and biases, received {len(ws)} in ws and {len(bs)} in bs')
    for i, (w, b) in enumerate(zip(ws, bs)):
        if len(w) != cell.n_weights or len(b) != cell.n_weights:
            raise ValueError(f'{name}: expected {cell.n_weights} matrices in ws[{i}] and '
                             f'vectors in bs[{i}], received {len(w)} and {len(b)}')
    if xs[0].shape[1] != ws[0][0].shape[1]:
        raise ValueError(f'{name}: inconsistent input size in input values and weight '
                         f'parameters: xs[0].shape[1] == {xs[0].shape[1]} != '
                         f'ws[0][0].shape[1] == {ws[0][0].shape[1]}')
    if cell.has_cell_state and cx is None:
        raise ValueError(f'{name}: expected cx, the initial cell states, received None')
    units = ws[0][0].shape[0]
    for what, state in (('hx', hx), ('cx', cx)):
        if state is None:
            continue
        shape = tuple(state.shape)
        if len(shape) != 3 or shape[0] != stacks or shape[1] < batches[0] or shape[2] != units:
            raise ValueError(f'{name}: expected {what} of shape ({stacks}, B, {units}) with '
                             f'B >= {batches[0]} (n_layers * {directions}, batch, units), '
                             f'received {shape}')


def _dropped(xs: Sequence[Any], ratio: float) -> list[Any]:
    if not ratio:
        return list(xs)
    return [dropout(x, ratio) for x in xs]


def _project_inputs(xs: Sequence[Any], weight: Any, bias: Any) -> tuple[Variable, ...]:
    """``linear(x, weight, bias)`` of every time step, computed as one product."""
    sizes = [x.shape[0] for x in xs]
    projected = linear(concat(xs, axis=0), weight, bias)
    return split_axis(projected, numpy.cumsum(sizes[:-1]).tolist(), axis=0)


def _run_direction(cell: Cell, xs: Sequence[Any], h: Variable, c: Any, w: Sequence[Any],
                   b: Sequence[Any], reverse: bool) -> tuple[Variable, Any, list[Variable]]:
    """Runs one layer in one direction; returns the last ``h`` and ``c`` and each step's ``h``."""
    x_weight, x_bias, h_weight, h_bias = cell.projections(w, b)
    projected = _project_inputs(xs, x_weight, x_bias)
    order = range(len(xs) - 1, -1, -1) if reverse else range(len(xs))
    hs: list[Any] = [None] * len(xs)
    for t in order:
        batch = projected[t].shape[0]
        h_rest = c_rest = None
        if h.shape[0] > batch:
            h, h_rest = split_axis(h, [batch], axis=0)
            if c is not None:
                c, c_rest = split_axis(c, [batch], axis=0)
        h, c = cell.step(projected[t], h, c, h_weight, h_bias)
        hs[t] = h
        if h_rest is not None:
            h = concat((h, h_rest), axis=0)
            if c is not None:
                c = concat((c, c_rest), axis=0)
    return h, c, hs


def n_step(cell: Cell, n_layers: int, dropout_ratio: float, hx: Any, cx: Any,
           ws: Sequence[Sequence[Any]], bs: Sequence[Sequence[Any]], xs: Sequence[Any],
           use_bi_direction: bool) -> tuple[Variable, Variable | None, tuple[Variable, ...]]:
    """Runs ``cell`` over ``n_layers`` layers (each direction) of time-major ``xs``.

    Dropout (``dropout_ratio``, in training only) is applied to the input of
    every layer after the first, separately for each direction.

    Returns:
        ``(hy, cy, ys)``; ``cy`` is ``None`` for a cell without cell state.
    """
    directions = 2 if use_bi_direction else 1
    xs = list(xs)
    check_arguments(cell, n_layers, directions, hx, cx, ws, bs, xs)
    hs = separate(hx)
    cs = separate(cx) if cx is not None else [None] * len(hs)
    hy, cy = [], []
    for layer in range(n_layers):
        outputs = []
        for direction in range(directions):
            index = layer * directions + direction
            inputs = xs if layer == 0 else _dropped(xs, dropout_ratio)
            h, c, steps = _run_direction(cell, inputs, hs[index], cs[index], ws[index],
                                         bs[index], reverse=direction == 1)
            hy.append(h)
            cy.append(c)
            outputs.append(steps)
        if directions == 1:
            xs = outputs[0]
        else:
            xs = [concat((forward, backward), axis=1)
                  for forward, backward in zip(*outputs)]
    return stack(hy), (stack(cy) if cx is not None else None), tuple(xs)
