"""crf1d and argmax_crf1d against enumeration of every labelling, on every device."""

from __future__ import annotations

import itertools

import numpy
import pytest

import polychain.functions as F
from polychain import gradient_check
from polychain.backend import to_host
from polychain_conformance.cases.loss_structured import _crf1d, _crf_score

#: Batch sizes per position: sequences sorted by decreasing length.
BATCHES = {'equal_lengths': [2, 2, 2], 'decreasing': [3, 2, 1], 'one_long': [3, 1, 1],
           'one_position': [2]}


def _inputs(rng, batches, n_label=3):
    cost = rng.uniform(-1, 1, (n_label, n_label))
    xs = [rng.uniform(-1, 1, (b, n_label)) for b in batches]
    ys = [rng.integers(0, n_label, b).astype('int32') for b in batches]
    return cost, xs, ys


@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('batches', BATCHES.values(), ids=BATCHES.keys())
def test_crf1d_matches_the_enumeration(device, dtype, rng, batches, reduce):
    cost, xs, ys = _inputs(rng, batches)
    loss = F.crf1d(device.send(cost.astype(dtype)), [device.send(x.astype(dtype)) for x in xs],
                   [device.send(y) for y in ys], reduce=reduce)
    assert loss.shape == (() if reduce == 'mean' else (batches[0],))
    assert to_host(loss.array).dtype == dtype
    numpy.testing.assert_allclose(to_host(loss.array), _crf1d(cost, xs, ys, reduce), rtol=1e-5)


@pytest.mark.parametrize('batches', BATCHES.values(), ids=BATCHES.keys())
def test_crf1d_gradients(device, rng, batches):
    cost, xs, ys = _inputs(rng, batches)
    ys = [device.send(y) for y in ys]

    def f(cost, *xs):
        return F.crf1d(cost, xs, ys, reduce='no')

    gradient_check.check_backward(
        f, tuple(device.send(a) for a in [cost] + xs), device.send(rng.normal(size=batches[0])),
        atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('batches', BATCHES.values(), ids=BATCHES.keys())
def test_argmax_crf1d_finds_the_best_labelling(device, rng, batches):
    cost, xs, _ = _inputs(rng, batches)
    score, path = F.argmax_crf1d(device.send(cost), [device.send(x) for x in xs])
    assert score.shape == (batches[0],) and isinstance(path, list)
    assert [p.shape for p in path] == [(b,) for b in batches]
    host_path = [to_host(p) for p in path]
    for b in range(batches[0]):
        length = sum(1 for n in batches if n > b)
        best = max(itertools.product(range(3), repeat=length),
                   key=lambda labels: _crf_score(cost, xs, b, labels))
        assert tuple(int(host_path[i][b]) for i in range(length)) == best
        numpy.testing.assert_allclose(to_host(score.array)[b], _crf_score(cost, xs, b, best))


def test_crf1d_rejects_an_unknown_reduce():
    with pytest.raises(ValueError, match="expected reduce 'mean' or 'no'"):
        F.crf1d(numpy.zeros((3, 3), 'f'), [numpy.zeros((2, 3), 'f')],
                [numpy.zeros(2, 'i')], 'invalid_option')


def test_crf1d_rejects_costs_of_another_label_count():
    with pytest.raises(ValueError, match='cost of shape'):
        F.crf1d(numpy.zeros((2, 2), 'f'), [numpy.zeros((2, 3), 'f')], [numpy.zeros(2, 'i')])
