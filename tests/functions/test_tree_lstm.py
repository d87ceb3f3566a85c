"""tree_lstm: consecutive gate blocks, any number of children, gradients, type errors."""

from __future__ import annotations

import numpy
import pytest

import polychain.functions as F
from polychain import gradient_check
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType
from polychain_conformance.cases.rnn_tree_lstm import _tree_lstm


@pytest.mark.parametrize(('n_children', 'batch', 'units'), [(1, 3, 2), (3, 2, 4), (2, 0, 3),
                                                            (4, 5, 0)])
def test_matches_numpy(device, dtype, rng, n_children, batch, units):
    cs = [rng.uniform(-1, 1, (batch, units)) for _ in range(n_children)]
    x = rng.uniform(-2, 2, (batch, (3 + n_children) * units))
    c, h = F.tree_lstm(*[device.send(a.astype(dtype)) for a in cs + [x]])
    expected_c, expected_h = _tree_lstm(*cs, x)
    for y, expected in ((c, expected_c), (h, expected_h)):
        assert y.shape == (batch, units) and to_host(y.array).dtype == dtype
        numpy.testing.assert_allclose(to_host(y.array), expected, rtol=1e-5, atol=1e-6)


def test_trailing_axes(rng):
    cs = [rng.uniform(-1, 1, (2, 3, 4)) for _ in range(2)]
    x = rng.uniform(-1, 1, (2, 15, 4))
    c, h = F.tree_lstm(*cs, x)
    # Per position of the trailing axis, the cell of the 2-D case.
    for k in range(4):
        expected_c, expected_h = _tree_lstm(cs[0][..., k], cs[1][..., k], x[..., k])
        numpy.testing.assert_allclose(c.array[..., k], expected_c)
        numpy.testing.assert_allclose(h.array[..., k], expected_h)


def test_gradients(device, rng):
    inputs = tuple(device.send(a) for a in (rng.uniform(-1, 1, (3, 2)), rng.uniform(-1, 1, (3, 2)),
                                            rng.uniform(-2, 2, (3, 10))))
    grads = (device.send(rng.normal(size=(3, 2))), device.send(rng.normal(size=(3, 2))))
    gradient_check.check_backward(F.tree_lstm, inputs, grads, atol=1e-7, rtol=1e-6)
    gradient_check.check_double_backward(
        F.tree_lstm, inputs, grads, tuple(device.send(rng.normal(size=a.shape)) for a in inputs),
        atol=1e-7, rtol=1e-6)


@pytest.mark.parametrize('inputs', [
    (numpy.zeros((3, 8), 'f'),),                                  # no child
    (numpy.zeros((3, 2), 'f'), numpy.zeros((3, 9), 'f')),         # x not (3 + N) * U wide
    (numpy.zeros((2, 2), 'f'), numpy.zeros((3, 8), 'f')),         # other batch size
    (numpy.zeros((3, 2), 'd'), numpy.zeros((3, 8), 'f')),         # other dtype
    (numpy.zeros((3, 2), 'i'), numpy.zeros((3, 8), 'i')),         # not floating
], ids=['no_child', 'width', 'batch', 'dtype', 'integer'])
def test_rejects_inconsistent_inputs(inputs):
    with pytest.raises(InvalidType):
        F.tree_lstm(*inputs)
