"""Cases of the recurrent functions and forget, against plain-NumPy step-by-step references.

The n_step references run each sequence on its own, one time step after
another, with the documented gate formulas; the functions under test run the
whole (time-major, variable-batch) mini-batch at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy

from polychain_conformance.spec import Arg, Case, Input, Tolerance


def _sigmoid(x: numpy.ndarray) -> numpy.ndarray:
    return 1.0 / (1.0 + numpy.exp(-x))


def _gates(x: numpy.ndarray) -> list[numpy.ndarray]:
    """``a, i, f, o`` of an LSTM input: unit ``k`` of gate ``g`` is ``x[:, 4k + g]``."""
    return [x[:, g::4] for g in range(4)]


def reference_lstm(c_prev: numpy.ndarray, x: numpy.ndarray) -> tuple[numpy.ndarray, ...]:
    """``F.lstm``: rows of ``c_prev`` beyond ``len(x)`` pass through."""
    a, i, f, o = _gates(x)
    batch = len(x)
    c = numpy.array(c_prev, dtype=numpy.float64)
    c[:batch] = numpy.tanh(a) * _sigmoid(i) + _sigmoid(f) * c_prev[:batch]
    return c, _sigmoid(o) * numpy.tanh(c[:batch])


def reference_slstm(c_prev1, c_prev2, x1, x2) -> tuple[numpy.ndarray, ...]:
    """``F.slstm``."""
    a1, i1, f1, o1 = _gates(x1)
    a2, i2, f2, o2 = _gates(x2)
    c = numpy.tanh(a1) * _sigmoid(i1) + numpy.tanh(a2) * _sigmoid(i2) + \
        _sigmoid(f1) * c_prev1 + _sigmoid(f2) * c_prev2
    return c, _sigmoid(o1 + o2) * numpy.tanh(c)


def _rnn_step(activation: str) -> Callable[..., tuple[numpy.ndarray, Any]]:
    def step(x, h, c, w, b):
        z = w[0] @ x + b[0] + w[1] @ h + b[1]
        return (numpy.tanh(z) if activation == 'tanh' else numpy.maximum(z, 0.0)), None
    return step


def _lstm_step(x, h, c, w, b):
    def pre(g):
        return w[g] @ x + b[g] + w[4 + g] @ h + b[4 + g]
    i, f, a, o = _sigmoid(pre(0)), _sigmoid(pre(1)), numpy.tanh(pre(2)), _sigmoid(pre(3))
    c = f * c + i * a
    return o * numpy.tanh(c), c


def _gru_step(x, h, c, w, b):
    r = _sigmoid(w[0] @ x + b[0] + w[3] @ h + b[3])
    z = _sigmoid(w[1] @ x + b[1] + w[4] @ h + b[4])
    h_bar = numpy.tanh(w[2] @ x + b[2] + r * (w[5] @ h + b[5]))
    return (1 - z) * h_bar + z * h, None


def reference_n_step(step: Callable[..., Any], n_layers: int, hx: numpy.ndarray,
                     cx: numpy.ndarray | None, ws: Sequence[Sequence[numpy.ndarray]],
                     bs: Sequence[Sequence[numpy.ndarray]], xs: Sequence[numpy.ndarray],
                     directions: int) -> tuple[Any, ...]:
    """Stacked recurrence without dropout, one sequence and one time step at a time.

    ``xs`` is time-major (``xs[t]`` holds the sequences longer than ``t``);
    returns ``(hy, cy, ys)`` with ``cy`` ``None`` when ``cx`` is.
    """
    hy = numpy.array(hx, dtype=numpy.float64)
    cy = None if cx is None else numpy.array(cx, dtype=numpy.float64)
    outputs = []
    for sequence in range(len(xs[0])):
        inputs = [x[sequence] for x in xs if len(x) > sequence]
        for layer in range(n_layers):
            per_direction = []
            for direction in range(directions):
                index = layer * directions + direction
                h = hx[index, sequence]
                c = None if cx is None else cx[index, sequence]
                hs = [None] * len(inputs)
                order = range(len(inputs))
                for t in (reversed(order) if direction else order):
                    h, c = step(inputs[t], h, c, ws[index], bs[index])
                    hs[t] = h
                hy[index, sequence] = h
                if cy is not None:
                    cy[index, sequence] = c
                per_direction.append(hs)
            inputs = [numpy.concatenate(hs) for hs in zip(*per_direction)]
        outputs.append(inputs)
    ys = [numpy.stack([out[t] for out in outputs if len(out) > t]) for t in range(len(xs))]
    return hy, cy, ys


def _reference(step: Callable[..., Any], directions: int, has_cell: bool,
               **fixed: Any) -> Callable[..., Any]:
    """The reference of an n_step function, with its argument order."""
    def with_cell(n_layers, dropout_ratio, hx, cx, ws, bs, xs):
        hy, cy, ys = reference_n_step(step, n_layers, hx, cx, ws, bs, xs, directions)
        return (hy, cy, *ys)

    def without_cell(n_layers, dropout_ratio, hx, ws, bs, xs, **kwargs):
        activation = kwargs.get('activation', fixed.get('activation'))
        chosen = step if activation is None else _rnn_step(activation)
        hy, _, ys = reference_n_step(chosen, n_layers, hx, None, ws, bs, xs, directions)
        return (hy, *ys)

    return with_cell if has_cell else without_cell


def _n_step_case(function: str, step: Callable[..., Any], n_weights: int, bidirectional: bool,
                 has_cell: bool, n_layers: int = 2, batches: Sequence[int] = (3, 2, 2, 1),
                 in_size: int = 3, units: int = 2, name: str = '',
                 **kwargs: Any) -> Case:
    """A case of ``function`` whose weights, biases and steps are separate inputs."""
    directions = 2 if bidirectional else 1
    stacks = n_layers * directions
    states = [Input((stacks, batches[0], units))] * (2 if has_cell else 1)
    weights, biases = [], []
    for layer in range(n_layers):
        for _ in range(directions):
            for j in range(n_weights):
                fan_in = units if j >= n_weights // 2 else (
                    in_size if layer == 0 else units * directions)
                weights.append(Input((units, fan_in)))
                biases.append(Input((units,)))
    steps = [Input((b, in_size)) for b in batches]
    n_states = len(states)

    def arrange(args: list[Any]) -> list[Any]:
        head, rest = args[:2 + n_states], args[2 + n_states:]
        ws = [rest[k * n_weights:(k + 1) * n_weights] for k in range(stacks)]
        rest = rest[stacks * n_weights:]
        bs = [rest[k * n_weights:(k + 1) * n_weights] for k in range(stacks)]
        return head + [ws, bs, rest[stacks * n_weights:]]

    args = (Arg(n_layers), Arg(0.0), *states, *weights, *biases, *steps)
    return Case(function, args, _reference(step, directions, has_cell, **kwargs),
                name=name or function, kwargs=kwargs, arrange=arrange,
                dtypes=('float32', 'float64'), tolerances=_N_STEP_TOLERANCES)


_N_STEP_TOLERANCES = {'float32': Tolerance(1e-5, 1e-4, 1e-3, 1e-2, 1e-3)}


def _product_and_difference(x: Any, y: Any) -> tuple[Any, Any]:
    """A two-output function of operators only, so it runs on Variables and on NumPy arrays."""
    return x * y + x * x, x - y


def _call(func: Callable[..., Any], *xs: Any) -> Any:
    return func(*xs)


CASES: tuple[Case, ...] = (
    Case('forget', (Arg(_product_and_difference), Input((3, 4)), Input((3, 4))), _call,
         double_backprop=False, strided=True),
    Case('lstm', (Input((3, 2)), Input((3, 8), -2.0, 2.0)), reference_lstm, strided=True),
    Case('lstm', (Input((4, 2, 2)), Input((3, 8, 2), -2.0, 2.0)), reference_lstm,
         name='lstm_smaller_batch_trailing_axes'),
    Case('slstm', (Input((3, 2)), Input((3, 2)), Input((3, 8), -2.0, 2.0),
                   Input((3, 8), -2.0, 2.0)), reference_slstm, strided=True),
    _n_step_case('n_step_lstm', _lstm_step, 8, False, True),
    _n_step_case('n_step_bilstm', _lstm_step, 8, True, True),
    _n_step_case('n_step_lstm', _lstm_step, 8, False, True, n_layers=1, batches=(2, 2, 2),
                 name='n_step_lstm_one_layer_equal_lengths'),
    _n_step_case('n_step_gru', _gru_step, 6, False, False),
    _n_step_case('n_step_bigru', _gru_step, 6, True, False),
    _n_step_case('n_step_rnn', _rnn_step('tanh'), 2, False, False),
    _n_step_case('n_step_rnn', _rnn_step('relu'), 2, False, False, name='n_step_rnn_relu',
                 activation='relu'),
    _n_step_case('n_step_birnn', _rnn_step('tanh'), 2, True, False),
    _n_step_case('n_step_birnn', _rnn_step('relu'), 2, True, False, name='n_step_birnn_relu',
                 activation='relu'),
)
