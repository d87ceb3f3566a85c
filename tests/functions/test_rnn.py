"""Recurrent functions and forget: Chainer's layouts, variable batches, dropout, errors."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import gradient_check
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType
from polychain_conformance.cases.rnn import (
    _gru_step,
    _lstm_step,
    _rnn_step,
    reference_lstm,
    reference_n_step,
)


def _weights(rng, n_layers, directions, n_weights, in_size, units):
    ws, bs = [], []
    for layer in range(n_layers):
        for _ in range(directions):
            fan = in_size if layer == 0 else units * directions
            ws.append([rng.uniform(-1, 1, (units, fan if j < n_weights // 2 else units))
                       for j in range(n_weights)])
            bs.append([rng.uniform(-1, 1, (units,)) for _ in range(n_weights)])
    return ws, bs


def _send(device, dtype, tree):
    if isinstance(tree, (list, tuple)):
        return [_send(device, dtype, t) for t in tree]
    return device.send(numpy.asarray(tree, dtype=dtype))


def test_lstm_reads_gates_interleaved_a_i_f_o(device):
    # Only the forget gate of unit 0 is open and only the cell input of unit 1 is set.
    x = numpy.full((1, 8), -30.0)
    x[0, 2] = 30.0          # f of unit 0
    x[0, 4], x[0, 5] = 30.0, 30.0  # a and i of unit 1
    x[0, 7] = 30.0          # o of unit 1
    c_prev = numpy.array([[0.5, 0.25]])
    c, h = F.lstm(device.send(c_prev), device.send(x))
    numpy.testing.assert_allclose(to_host(c.array), [[0.5, numpy.tanh(30.0)]], atol=1e-6)
    numpy.testing.assert_allclose(to_host(h.array), [[0.0, numpy.tanh(1.0)]], atol=1e-6)


def test_lstm_with_a_smaller_batch_passes_the_other_rows_through(device, dtype, rng):
    c_prev = rng.uniform(-1, 1, (4, 3)).astype(dtype)
    x = rng.uniform(-1, 1, (2, 12)).astype(dtype)
    c_var = polychain.Variable(device.send(c_prev))
    c, h = F.lstm(c_var, device.send(x))
    expected_c, expected_h = reference_lstm(c_prev.astype('f8'), x.astype('f8'))
    numpy.testing.assert_allclose(to_host(c.array), expected_c, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(to_host(h.array), expected_h, rtol=1e-5, atol=1e-6)
    F.sum(c).backward()
    numpy.testing.assert_array_equal(to_host(c_var.grad)[2:], numpy.ones((2, 3), dtype))


def test_slstm_adds_the_gated_cell_inputs_of_both_children(device):
    # Child 1 opens its input gate on a, child 2 its forget gate on c_prev2; the output
    # gate takes the sum o1 + o2.
    x1, x2 = numpy.full((1, 4), -30.0), numpy.full((1, 4), -30.0)
    x1[0, :2] = 0.5, 30.0   # a1, i1
    x2[0, 2] = 30.0         # f2
    x1[0, 3], x2[0, 3] = 0.25, 0.5  # o1, o2
    c, h = F.slstm(*(device.send(numpy.array(v)) for v in ([[0.0]], [[0.75]], x1, x2)))
    expected_c = numpy.tanh(0.5) + 0.75
    numpy.testing.assert_allclose(to_host(c.array), [[expected_c]], atol=1e-6)
    numpy.testing.assert_allclose(to_host(h.array),
                                  [[numpy.tanh(expected_c) / (1 + numpy.exp(-0.75))]], atol=1e-6)


@pytest.mark.parametrize('function, shapes, grad_shapes', [
    ('lstm.LSTMGrad', [(3, 2, 4), (2, 8, 4), (3, 2, 4), (3, 2, 4), (2, 2, 4)],
     [(3, 2, 4), (2, 8, 4)]),
    ('slstm.SLSTMGrad', [(3, 2, 4)] * 2 + [(3, 8, 4)] * 2 + [(3, 2, 4)] * 3,
     [(3, 2, 4)] * 2 + [(3, 8, 4)] * 2),
])
def test_cell_gradient_nodes_are_differentiable(function, shapes, grad_shapes, device, rng):
    # Chainer's LSTMGrad and SLSTMGrad take (states, gate inputs, c, gc, gh); calling an
    # instance applies a fresh node, as Chainer's Function objects do.
    module, name = function.split('.')
    node = getattr(getattr(F.rnn, module), name)()
    inputs = [device.send(rng.uniform(-1, 1, s)) for s in shapes]
    grads = [device.send(rng.uniform(-1, 1, s)) for s in grad_shapes]
    gradient_check.check_backward(node, inputs, grads, dtype=numpy.float64,
                                  atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('function, shapes', [
    (F.lstm, [(3, 2), (2, 8)]),
    (F.slstm, [(3, 2), (3, 2), (3, 8), (3, 8)]),
])
def test_cells_are_twice_differentiable(function, shapes, device, rng):
    inputs = [device.send(rng.uniform(-1, 1, s)) for s in shapes]
    outputs = function(*inputs)
    grads = [device.send(rng.uniform(-1, 1, y.shape)) for y in outputs]
    ggs = [device.send(rng.uniform(-1, 1, s)) for s in shapes]
    gradient_check.check_double_backward(function, inputs, grads, ggs, dtype=numpy.float64,
                                         atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize(('c_shape', 'x_shape'), [((2, 3), (2, 8)), ((2, 3), (3, 12)),
                                                  ((2, 3, 1), (2, 12))])
def test_lstm_rejects_mismatched_shapes(c_shape, x_shape):
    with pytest.raises(InvalidType, match='lstm'):
        F.lstm(numpy.zeros(c_shape, 'f'), numpy.zeros(x_shape, 'f'))


def test_slstm_rejects_children_of_different_shapes():
    with pytest.raises(InvalidType, match='c_prev1.shape == c_prev2.shape'):
        F.slstm(numpy.zeros((2, 3), 'f'), numpy.zeros((1, 3), 'f'), numpy.zeros((2, 12), 'f'),
                numpy.zeros((1, 12), 'f'))


_KINDS = {
    'lstm': (F.n_step_lstm, _lstm_step, 8, 1, True),
    'bilstm': (F.n_step_bilstm, _lstm_step, 8, 2, True),
    'gru': (F.n_step_gru, _gru_step, 6, 1, False),
    'bigru': (F.n_step_bigru, _gru_step, 6, 2, False),
    'rnn': (F.n_step_rnn, _rnn_step('tanh'), 2, 1, False),
    'birnn': (F.n_step_birnn, _rnn_step('tanh'), 2, 2, False),
}


def _n_step_call(kind, device, dtype, rng, n_layers=3, batches=(4, 4, 3, 1), ratio=0.0):
    function, step, n_weights, directions, has_cell = _KINDS[kind]
    hx = rng.uniform(-1, 1, (n_layers * directions, batches[0], 3))
    cx = rng.uniform(-1, 1, hx.shape) if has_cell else None
    ws, bs = _weights(rng, n_layers, directions, n_weights, 2, 3)
    xs = [rng.uniform(-1, 1, (b, 2)) for b in batches]
    states = [hx, cx] if has_cell else [hx]
    outputs = function(n_layers, ratio, *_send(device, dtype, states), _send(device, dtype, ws),
                       _send(device, dtype, bs), _send(device, dtype, xs))
    hy, cy, ys = reference_n_step(step, n_layers, hx, cx, ws, bs, xs, directions)
    expected = [hy, cy, ys] if has_cell else [hy, ys]
    return outputs, expected


@pytest.mark.parametrize('kind', sorted(_KINDS))
def test_n_step_matches_a_step_by_step_reference_per_sequence(kind, device, dtype, rng):
    outputs, expected = _n_step_call(kind, device, dtype, rng)
    tolerance = 1e-4 if dtype == 'float32' else 1e-10
    for got, want in zip(outputs[:-1], expected[:-1]):
        numpy.testing.assert_allclose(to_host(got.array), want, rtol=tolerance, atol=tolerance)
    assert [tuple(y.shape) for y in outputs[-1]] == [w.shape for w in expected[-1]]
    for got, want in zip(outputs[-1], expected[-1]):
        numpy.testing.assert_allclose(to_host(got.array), want, rtol=tolerance, atol=tolerance)


def test_n_step_dropout_only_in_training_and_only_between_layers(device, rng):
    with polychain.using_config('train', False):
        outputs, expected = _n_step_call('lstm', device, 'float64', rng, ratio=0.9)
    numpy.testing.assert_allclose(to_host(outputs[0].array), expected[0], atol=1e-10)
    with polychain.using_config('train', True):
        outputs, expected = _n_step_call('lstm', device, 'float64', rng, n_layers=1, ratio=0.9)
        numpy.testing.assert_allclose(to_host(outputs[0].array), expected[0], atol=1e-10)
        outputs, expected = _n_step_call('lstm', device, 'float64', rng, ratio=0.9)
    assert not numpy.allclose(to_host(outputs[0].array)[-1], expected[0][-1])


def _lstm_arguments(in_size=2, xs_in=2, batches=(2, 1)):
    hx = numpy.zeros((1, batches[0], 3), 'f')
    ws = [[numpy.zeros((3, in_size if j < 4 else 3), 'f') for j in range(8)]]
    bs = [[numpy.zeros((3,), 'f') for _ in range(8)]]
    xs = [numpy.zeros((b, xs_in), 'f') for b in batches]
    return hx, hx, ws, bs, xs


def test_n_step_lstm_rejects_an_input_size_other_than_the_weights():
    with pytest.raises(ValueError, match='n_step_lstm: inconsistent input size'):
        F.n_step_lstm(1, 0.0, *_lstm_arguments(xs_in=4))


def test_n_step_lstm_rejects_unsorted_steps():
    with pytest.raises(ValueError, match=r'n_step_lstm: expected xs\[t\].shape\[0\] >='):
        F.n_step_lstm(1, 0.0, *_lstm_arguments(batches=(1, 2)))


def test_n_step_lstm_rejects_a_wrong_number_of_layers():
    with pytest.raises(ValueError, match='expected n_layers'):
        F.n_step_lstm(2, 0.0, *_lstm_arguments())


def test_n_step_rnn_rejects_an_unknown_activation():
    hx, _, ws, bs, xs = _lstm_arguments()
    with pytest.raises(ValueError, match="n_step_rnn: expected activation among"):
        F.n_step_rnn(1, 0.0, hx, [w[:2] for w in ws], [b[:2] for b in bs], xs,
                     activation='sigmoid')


def _mlp(x, y):
    return F.tanh(x * y) * 3.0, x + y


def test_forget_gives_the_gradients_of_the_plain_call(device, rng):
    x0, y0 = (rng.uniform(-1, 1, (3, 4)) for _ in range(2))
    grads = []
    for call in (_mlp, lambda x, y: F.forget(_mlp, x, y)):
        x, y = polychain.Variable(device.send(x0)), polychain.Variable(device.send(y0))
        a, b = call(x, y)
        F.sum(a * a + b).backward()
        grads.append((to_host(x.grad), to_host(y.grad)))
    for plain, forgotten in zip(*grads):
        numpy.testing.assert_allclose(forgotten, plain, rtol=1e-12)


def test_forget_keeps_no_intermediate_graph_and_one_output_is_a_variable(device):
    x = polychain.Variable(device.send(numpy.ones((2,), 'f')))
    y = F.forget(lambda v: F.exp(F.tanh(v)), x)
    assert isinstance(y, polychain.Variable)
    assert type(y.creator_node).__name__ == 'Forget'
    assert y.creator_node.inputs[0] is x.node


def test_forget_accumulates_gradients_of_parameters_used_inside(device):
    layer = polychain.links.Linear(3, 2).to_device(device)
    layer.cleargrads()
    x = polychain.Variable(device.send(numpy.ones((4, 3), 'f')))
    F.sum(F.forget(layer, x)).backward()
    numpy.testing.assert_allclose(to_host(layer.b.grad), [4.0, 4.0])


def test_forget_refuses_double_backprop():
    x = polychain.Variable(numpy.ones((2,), 'f'))
    y = F.forget(lambda v: v * v, x)
    with pytest.raises(RuntimeError, match='forget: double backpropagation'):
        polychain.grad([y], [x], [numpy.ones((2,), 'f')], enable_double_backprop=True)


def test_forget_rejects_a_function_returning_arrays():
    with pytest.raises(RuntimeError, match='forget: expected func to return a Variable'):
        F.forget(lambda v: v.array, numpy.ones((2,), 'f'))
    x = polychain.Variable(numpy.ones((2,), 'f'))
    for n in (1, 2, 3, 4, 11, 12, 13, 21):
        ordinal = {1: '1st', 2: '2nd', 3: '3rd', 21: '21st'}.get(n, f'{n}th')
        with pytest.raises(RuntimeError, match=f'the {ordinal} output of func is int'):
            F.forget(lambda v, n=n: (v,) * (n - 1) + (1,), x)
    with pytest.raises(RuntimeError, match='received int'):
        F.forget(lambda: 1)


def test_forget_recomputes_with_in_recomputing_set():
    seen = []

    def func(v):
        seen.append(getattr(polychain.config, 'in_recomputing', False))
        return v * v

    x = polychain.Variable(numpy.ones((2,), 'f'))
    F.sum(F.forget(func, x)).backward()
    assert seen == [False, True]
