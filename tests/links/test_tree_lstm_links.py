"""ChildSumTreeLSTM and NaryTreeLSTM: against their equations, missing children, errors."""

from __future__ import annotations

import numpy
import pytest

import polychain.links as L
from polychain.backend import to_host
from polychain_conformance.cases.rnn_tree_lstm import _tree_lstm


def _linear(link, x):
    y = x @ to_host(link.W.array).T
    return y if link.b is None else y + to_host(link.b.array)


def _inputs(rng, n, batch=3, size=2, in_size=4):
    states = [rng.uniform(-1, 1, (batch, size)).astype('f') for _ in range(2 * n)]
    return states[:n], states[n:], rng.uniform(-1, 1, (batch, in_size)).astype('f')


@pytest.mark.parametrize('n', [1, 2, 3])
def test_child_sum_matches_its_equations_and_ignores_the_order_of_children(device, rng, n):
    link = L.ChildSumTreeLSTM(4, 2).to_device(device)
    cs, hs, x = _inputs(rng, n)
    c, h = link(*[device.send(a) for a in cs + hs + [x]])
    from_x = _linear(link.W_x, x)
    aio = from_x[:, :6] + _linear(link.W_h_aio, sum(hs))
    forgets = [from_x[:, 6:] + _linear(link.W_h_f, child) for child in hs]
    expected_c, expected_h = _tree_lstm(*cs, numpy.concatenate([aio] + forgets, axis=1))
    numpy.testing.assert_allclose(to_host(c.array), expected_c, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(to_host(h.array), expected_h, rtol=1e-5, atol=1e-6)
    swapped = link(*[device.send(a) for a in cs[::-1] + hs[::-1] + [x]])
    numpy.testing.assert_allclose(to_host(swapped[1].array), expected_h, rtol=1e-5, atol=1e-6)


def test_child_sum_leaf(rng):
    link = L.ChildSumTreeLSTM(4, 2)
    x = rng.uniform(-1, 1, (3, 4)).astype('f')
    a, i, o = numpy.split(_linear(link.W_x, x)[:, :6], 3, axis=1)
    c, h = link(x)
    expected_c = numpy.tanh(a) / (1 + numpy.exp(-i))
    numpy.testing.assert_allclose(c.array, expected_c, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(h.array, numpy.tanh(expected_c) / (1 + numpy.exp(-o)),
                                  rtol=1e-5, atol=1e-6)


def test_nary_matches_its_equations(device, rng):
    link = L.NaryTreeLSTM(4, 2, n_ary=2).to_device(device)
    cs, hs, x = _inputs(rng, 2)
    c, h = link(*[device.send(a) for a in cs + hs + [x]])
    gates = _linear(link.W_x, x) + _linear(link.W_h1, hs[0]) + _linear(link.W_h2, hs[1])
    expected_c, expected_h = _tree_lstm(*cs, gates)
    numpy.testing.assert_allclose(to_host(c.array), expected_c, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(to_host(h.array), expected_h, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('cls', [L.ChildSumTreeLSTM, L.NaryTreeLSTM])
def test_missing_arguments_are_zeros(device, rng, cls):
    link = cls(4, 2).to_device(device)
    cs, hs, x = _inputs(rng, 2)
    zeros = numpy.zeros_like(cs[0])
    expected = link(*[device.send(a) for a in [zeros, cs[1], zeros, hs[1], x]])
    actual = link(None, device.send(cs[1]), None, device.send(hs[1]), device.send(x))
    numpy.testing.assert_array_equal(to_host(actual[0].array), to_host(expected[0].array))
    without_x = link(*[device.send(a) for a in cs + hs], None)
    with_zero_x = link(*[device.send(a) for a in cs + hs + [numpy.zeros_like(x)]])
    numpy.testing.assert_array_equal(to_host(without_x[1].array), to_host(with_zero_x[1].array))
    with pytest.raises(ValueError, match='all inputs'):
        link(None, None, None, None, None)


def test_errors():
    with pytest.raises(ValueError, match='n_ary >= 1'):
        L.NaryTreeLSTM(4, 2, n_ary=0)
    with pytest.raises(ValueError, match='expected 5 arguments'):
        L.NaryTreeLSTM(4, 2)(numpy.zeros((1, 2), 'f'), numpy.zeros((1, 4), 'f'))
    with pytest.raises(ValueError, match='odd number'):
        L.ChildSumTreeLSTM(4, 2)(numpy.zeros((1, 2), 'f'), numpy.zeros((1, 4), 'f'))
    with pytest.raises(ValueError, match='all inputs'):
        L.ChildSumTreeLSTM(4, 2)(None)
