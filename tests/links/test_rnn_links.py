"""Recurrent links: Chainer's initial values, state handling and sequence ordering."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain.backend import to_host
from polychain_conformance.cases.rnn import _gru_step, _lstm_step, reference_n_step


def _host(v):
    return to_host(v.array)


def test_lstm_biases_open_the_forget_gate_and_lateral_has_none():
    link = L.LSTM(3, 2)
    numpy.testing.assert_array_equal(link.upward.b.array, [0, 0, 1, 0] * 2)
    assert link.lateral.b is None
    assert link.upward.W.shape == (8, 3) and link.lateral.W.shape == (8, 2)


def test_lstm_infers_in_size_on_its_device(device):
    link = L.LSTM(2).to_device(device)
    y = link(device.send(numpy.ones((3, 5), 'f')))
    assert link.upward.W.shape == (8, 5) and link.upward.W.device == device
    assert y.shape == (3, 2)


def test_lstm_matches_stateless_lstm_and_updates_only_the_leading_rows(device, rng):
    stateful = L.LSTM(3, 2).to_device(device)
    stateless = L.StatelessLSTM(3, 2)
    stateless.copyparams(stateful)
    stateless.to_device(device)
    x1, x2 = (device.send(rng.uniform(-1, 1, (n, 3)).astype('f')) for n in (3, 2))
    c, h = stateless(None, None, x1)
    numpy.testing.assert_allclose(_host(stateful(x1)), _host(h), rtol=1e-6)
    c2, h2 = stateless(c[:2], h[:2], x2)
    numpy.testing.assert_allclose(_host(stateful(x2)), _host(h2), rtol=1e-6)
    numpy.testing.assert_allclose(_host(stateful.h)[:2], _host(h2), rtol=1e-6)
    numpy.testing.assert_array_equal(_host(stateful.h)[2], _host(h)[2])
    numpy.testing.assert_array_equal(_host(stateful.c)[2], _host(c)[2])


def test_lstm_rejects_a_growing_batch_and_resets():
    link = L.LSTM(3, 2)
    link(numpy.ones((2, 3), 'f'))
    with pytest.raises(TypeError, match='LSTM.forward: expected a batch of at most 2'):
        link(numpy.ones((3, 3), 'f'))
    link.reset_state()
    assert link.h is None and link.c is None
    assert link(numpy.ones((3, 3), 'f')).shape == (3, 2)


def test_lstm_set_state_moves_the_state_and_needs_variables(device):
    link = L.LSTM(3, 2).to_device(device)
    with pytest.raises(TypeError, match='LSTM.set_state: expected a Variable as c'):
        link.set_state(numpy.zeros((1, 2), 'f'), numpy.zeros((1, 2), 'f'))
    link.set_state(polychain.Variable(numpy.ones((1, 2), 'f')),
                   polychain.Variable(numpy.ones((1, 2), 'f')))
    assert link.c.device == device and link.h.device == device
    assert link(device.send(numpy.ones((1, 3), 'f'))).shape == (1, 2)


def test_gru_first_step_uses_only_the_input_connections(device, rng):
    link = L.GRU(3, 2, bias_init=0.5).to_device(device)
    x = device.send(rng.uniform(-1, 1, (4, 3)).astype('f'))
    expected = F.sigmoid(link.W_z(x)) * F.tanh(link.W(x))
    numpy.testing.assert_allclose(_host(link(x)), _host(expected), rtol=1e-6)


def test_stateful_gru_matches_stateless_gru_after_the_first_step(device, rng):
    stateful = L.StatefulGRU(3, 2, bias_init=0.5).to_device(device)
    stateless = L.StatelessGRU(3, 2)
    stateless.copyparams(stateful)
    stateless.to_device(device)
    x1, x2 = (device.send(rng.uniform(-1, 1, (4, 3)).astype('f')) for _ in range(2))
    h1 = stateful(x1)
    numpy.testing.assert_allclose(_host(stateful(x2)), _host(stateless(h1, x2)), rtol=1e-6)


def test_gru_is_stateful_and_refuses_two_arguments():
    with pytest.raises(ValueError, match='use StatelessGRU'):
        L.GRU(3, 2)(numpy.zeros((1, 2), 'f'), numpy.zeros((1, 3), 'f'))


@pytest.mark.parametrize(('cls', 'step', 'directions', 'has_cell'), [
    (L.NStepLSTM, _lstm_step, 1, True), (L.NStepBiLSTM, _lstm_step, 2, True),
    (L.NStepGRU, _gru_step, 1, False), (L.NStepBiGRU, _gru_step, 2, False)])
def test_n_step_links_accept_unsorted_sequences(cls, step, directions, has_cell, device, rng):
    link = cls(2, 3, 4, 0.0).to_device(device)
    lengths = (2, 5, 1, 5)
    xs = [rng.uniform(-1, 1, (n, 3)) for n in lengths]
    hx = rng.uniform(-1, 1, (2 * directions, len(xs), 4))
    states = [hx, hx * 0.5] if has_cell else [hx]
    outputs = link(*[device.send(s.astype('f')) for s in states],
                   [device.send(x.astype('f')) for x in xs])
    ws = [[to_host(w.array).astype('f8') for w in layer] for layer in link.ws]
    bs = [[to_host(b.array).astype('f8') for b in layer] for layer in link.bs]
    for i, x in enumerate(xs):
        one = [s[:, i:i + 1] for s in states]
        hy, cy, ys = reference_n_step(step, 2, one[0], one[1] if has_cell else None, ws, bs,
                                      [row[None] for row in x], directions)
        numpy.testing.assert_allclose(_host(outputs[0])[:, i:i + 1], hy, rtol=1e-4, atol=1e-5)
        if has_cell:
            numpy.testing.assert_allclose(_host(outputs[1])[:, i:i + 1], cy, rtol=1e-4,
                                          atol=1e-5)
        numpy.testing.assert_allclose(_host(outputs[-1][i]), numpy.concatenate(ys), rtol=1e-4,
                                      atol=1e-5)


def test_n_step_link_layout_and_zero_states():
    link = L.NStepBiLSTM(2, 3, 4, 0.25)
    assert len(link) == 4 and len(link.ws[0]) == 8
    assert link.ws[0][0].shape == (4, 3) and link.ws[2][0].shape == (4, 8)
    assert link.ws[2][4].shape == (4, 4)
    numpy.testing.assert_array_equal(link.bs[1][3].array, numpy.zeros(4))
    with polychain.using_config('train', False):
        hy, cy, ys = link(None, None, [numpy.ones((3, 3), 'f'), numpy.ones((2, 3), 'f')])
    assert hy.shape == cy.shape == (4, 2, 4)
    assert [y.shape for y in ys] == [(3, 8), (2, 8)]
    F.sum(hy).backward()
    assert link.ws[0][0].grad is not None


def test_n_step_rnn_links_pick_their_activation():
    numpy.random.seed(0)
    xs = [numpy.full((2, 3), 0.5, 'f')]  # small enough that float32 tanh stays below 1
    relu = L.NStepRNNReLU(1, 3, 2, 0.0)
    tanh = L.NStepRNNTanh(1, 3, 2, 0.0)
    tanh.copyparams(relu)
    hy_relu, _ = relu(None, xs)
    hy_tanh, _ = tanh(None, xs)
    assert (hy_relu.array >= 0).all() and (numpy.abs(hy_tanh.array) < 1).all()
    assert not numpy.allclose(hy_relu.array, hy_tanh.array)


def test_n_step_links_take_weight_and_bias_initializers():
    link = L.NStepBiGRU(2, 3, 4, 0.0, initialW=polychain.initializers.One(),
                        initial_bias=polychain.initializers.Constant(2.0))
    assert all((_host(w) == 1).all() for ws in link.ws for w in ws)
    assert all((_host(b) == 2).all() for bs in link.bs for b in bs)
    assert link.ws[2][0].shape == (4, 8)


def _mgu_reference(w_f, w_h, h, x):
    f = 1 / (1 + numpy.exp(-numpy.concatenate([h, x], axis=1) @ w_f.T))
    h_bar = numpy.tanh(numpy.concatenate([f * h, x], axis=1) @ w_h.T)
    return f * h_bar + (1 - f) * h


def test_mgu_links_follow_the_minimal_gated_unit(device, rng):
    x = rng.uniform(-1, 1, (3, 4)).astype(numpy.float32)
    h = rng.uniform(-1, 1, (3, 5)).astype(numpy.float32)
    stateless = L.StatelessMGU(4, 5).to_device(device)
    w_f, w_h = _host(stateless.W_f.W), _host(stateless.W_h.W)
    y = stateless(device.send(h), device.send(x))
    numpy.testing.assert_allclose(_host(y), _mgu_reference(w_f, w_h, h, x), rtol=1e-5,
                                  atol=1e-6)
    stateful = L.StatefulMGU(4, 5).to_device(device)
    stateful.W_f.copyparams(stateless.W_f)
    stateful.W_h.copyparams(stateless.W_h)
    first = _mgu_reference(w_f, w_h, numpy.zeros((3, 5), numpy.float32), x)
    stateful(device.send(x))
    y2 = stateful(device.send(x))
    numpy.testing.assert_allclose(_host(y2), _mgu_reference(w_f, w_h, first, x), rtol=1e-5,
                                  atol=1e-6)
    stateful.reset_state()
    assert stateful.h is None


def test_peephole_lstm_gates_see_the_cell_state(device, rng):
    link = L.StatefulPeepholeLSTM(3, 2).to_device(device)
    x = rng.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    h1 = _host(link(device.send(x)))
    sig = lambda v: 1 / (1 + numpy.exp(-v))  # noqa: E731
    gates = (x @ _host(link.upward.W).T + _host(link.upward.b)).reshape(4, 2, 4)
    a, i, f, o = (gates[:, :, k] for k in range(4))
    c = numpy.tanh(a) * sig(i)
    expected = sig(o + c @ _host(link.peep_o.W).T) * numpy.tanh(c)
    numpy.testing.assert_allclose(h1, expected, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(_host(link.c), c, rtol=1e-5, atol=1e-6)
    link(device.send(x))
    link.reset_state()
    assert link.c is None and link.h is None


def test_zoneout_lstm_mixes_old_and_new_states_by_its_masks(device, rng):
    link = L.StatefulZoneoutLSTM(3, 2, c_ratio=0.5, h_ratio=0.5).to_device(device)
    x = device.send(rng.uniform(-1, 1, (4, 3)).astype(numpy.float32))
    link(x)
    c1, h1 = _host(link.c), _host(link.h)
    h2 = link(x)
    sig = lambda v: 1 / (1 + numpy.exp(-v))  # noqa: E731
    gates = (to_host(x) @ _host(link.upward.W).T + _host(link.upward.b)
             + h1 @ _host(link.lateral.W).T).reshape(4, 2, 4)
    a, i, f, o = (gates[:, :, k] for k in range(4))
    c_new = numpy.tanh(a) * sig(i) + sig(f) * c1
    take_c, take_h = to_host(link.c.creator.flag_x), to_host(h2.creator.flag_x)
    numpy.testing.assert_allclose(_host(link.c), c1 * (1 - take_c) + c_new * take_c,
                                  rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(_host(h2), h1 * (1 - take_h)
                                  + sig(o) * numpy.tanh(c_new) * take_h, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError):
        L.StatefulZoneoutLSTM(3, 2, train=True)
