"""CRF1d, NegativeSampling, BlackOut and BinaryHierarchicalSoftmax; WalkerAlias moves with them."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain import initializers
from polychain.backend import to_host
from polychain.utils import WalkerAlias

#: Three sequences of lengths 2, 3 and 1 over 3 labels, one array per sequence.
LENGTHS = (2, 3, 1)


def _sequences(rng, dtype='float32'):
    xs = [rng.uniform(-1, 1, (n, 3)).astype(dtype) for n in LENGTHS]
    ys = [rng.integers(0, 3, n).astype('int32') for n in LENGTHS]
    return xs, ys


def test_crf1d_transposes_sequences_sorted_by_length(device, rng):
    xs, ys = _sequences(rng)
    crf = L.CRF1d(3, initial_cost=initializers.Uniform(1.0)).to_device(device)
    loss = crf([device.send(x) for x in xs], [device.send(y) for y in ys], transpose=True)
    order = [1, 0, 2]  # by decreasing length
    by_position = F.transpose_sequence([xs[i] for i in order])
    labels = [y.array for y in F.transpose_sequence([ys[i] for i in order])]
    expected = F.crf1d(crf.cost.array, [device.send(x.array) for x in by_position],
                       [device.send(y) for y in labels])
    numpy.testing.assert_allclose(to_host(loss.array), to_host(expected.array), rtol=1e-6)


def test_crf1d_argmax_returns_paths_in_the_order_of_the_sequences(device, rng):
    xs, _ = _sequences(rng)
    crf = L.CRF1d(3, initial_cost=initializers.Uniform(1.0)).to_device(device)
    score, paths = crf.argmax([device.send(x) for x in xs], transpose=True)
    assert [p.shape for p in paths] == [(n,) for n in LENGTHS]
    for x, path in zip(xs, paths):
        _, alone = crf.argmax([device.send(row[None]) for row in x])
        numpy.testing.assert_array_equal(to_host(path), [int(to_host(p)[0]) for p in alone])
    assert score.shape == (3,)


def test_crf1d_costs_start_at_zero_or_take_the_given_initializer():
    numpy.testing.assert_array_equal(L.CRF1d(4).cost.array, numpy.zeros((4, 4), 'f'))
    given = numpy.arange(9, dtype='float64').reshape(3, 3)
    crf = L.CRF1d(3, initial_cost=given)
    assert crf.cost.dtype == numpy.float64
    numpy.testing.assert_array_equal(crf.cost.array, given)


def test_walker_alias_is_a_device_resident_moved_by_to_cpu_with_a_warning(device):
    sampler = WalkerAlias([1.0, 2.0])
    sampler.to_device(device)
    assert sampler.device == device
    assert polychain.backend.get_device_from_array(sampler.values) == device
    with pytest.warns(DeprecationWarning):
        sampler.to_cpu()
    assert sampler.device == polychain.get_device('@numpy')
    assert isinstance(sampler.threshold, numpy.ndarray)


@pytest.mark.parametrize('link', [
    lambda: L.NegativeSampling(3, [10, 5, 2, 5, 2], 2),
    lambda: L.BlackOut(3, [10, 5, 2, 5, 2], 2),
], ids=['NegativeSampling', 'BlackOut'])
def test_samplers_move_with_their_link(device, link):
    link = link().to_device(device)
    assert link.sampler.device == device
    samples = link.sampler.sample((4, 2))
    assert polychain.backend.get_device_from_array(samples) == device


def test_negative_sampling_weights_start_at_zero_and_counts_are_raised_to_power():
    link = L.NegativeSampling(3, [1, 16, 81], 2, power=0.25)
    numpy.testing.assert_array_equal(link.W.array, numpy.zeros((3, 3), 'f'))
    # counts ** 0.25 are 1, 2, 3: id 2 is drawn three times as often as id 0.
    polychain.get_device('@numpy').seed(0)
    drawn = numpy.bincount(link.sampler.sample((60000,)), minlength=3) / 60000
    numpy.testing.assert_allclose(drawn, [1 / 6, 2 / 6, 3 / 6], atol=0.01)


def test_negative_sampling_link_returns_its_samples(device, rng):
    link = L.NegativeSampling(3, [10, 5, 2, 5, 2], 2)
    link.W.array[...] = rng.uniform(-1, 1, (5, 3))
    link.to_device(device)
    x = device.send(rng.uniform(-1, 1, (4, 3)).astype('float32'))
    t = device.send(numpy.array([0, 1, -1, 4], 'int32'))
    loss, samples = link(x, t, reduce='no', return_samples=True)
    assert loss.shape == (4,) and samples.shape == (4, 3)
    numpy.testing.assert_array_equal(to_host(samples)[:, 0], [0, 1, -1, 4])
    assert float(to_host(loss.array)[2]) == 0.0


def test_black_out_uses_the_given_sample_data(rng):
    link = L.BlackOut(3, [1, 1, 1, 1], 2)
    assert numpy.isnan(link.W.array).all()  # not initialised, as in Chainer
    link.W.array[...] = rng.uniform(-1, 1, (4, 3))
    x, t = rng.uniform(-1, 1, (2, 3)).astype('f'), numpy.array([0, 3], 'int32')
    link.sample_data = numpy.array([[1, 2], [0, 2]], 'int32')
    expected = F.black_out(x, t, link.W, link.sample_data)
    numpy.testing.assert_array_equal(link(x, t).array, expected.array)


def test_huffman_tree():
    tree = L.BinaryHierarchicalSoftmax.create_huffman_tree
    assert tree({'x': 8, 'y': 6, 'z': 5, 'w': 4, 'v': 3}) == (('z', 'y'), (('v', 'w'), 'x'))
    assert tree({'x': 1, 'y': 2, 'z': 3}) == (('x', 'y'), 'z')
    assert tree({'a': 3}) == 'a'
    with pytest.raises(ValueError, match='empty'):
        tree({})


def test_hierarchical_softmax_probabilities_sum_to_one(device, rng):
    link = L.BinaryHierarchicalSoftmax(3, ((0, 1), ((2, 3), 4))).to_device(device)
    x = device.send(rng.uniform(-1, 1, (1, 3)).astype('float32'))
    total = sum(numpy.exp(-float(to_host(link(x, device.send(numpy.array([w], 'int32'))).array)))
                for w in range(5))
    assert total == pytest.approx(1.0, abs=1e-5)


def test_hierarchical_softmax_paths_and_codes():
    link = L.BinaryHierarchicalSoftmax(2, ((0, 1), ((2, 3), 4)))
    func = link._func
    assert link.W.shape == (4, 2) and func.parser_size == 4
    # Internal nodes in preorder: root 0, (0, 1) is 1, ((2, 3), 4) is 2, (2, 3) is 3.
    numpy.testing.assert_array_equal(func.begins, [0, 2, 4, 7, 10, 12])
    numpy.testing.assert_array_equal(func.paths, [0, 1, 0, 1, 0, 2, 3, 0, 2, 3, 0, 2])
    numpy.testing.assert_array_equal(func.codes, [1, 1, 1, -1, -1, 1, 1, -1, 1, -1, -1, -1])


def test_hierarchical_softmax_tables_move_with_the_link(device):
    link = L.BinaryHierarchicalSoftmax(2, ((0, 1), 2)).to_device(device)
    for table in (link._func.paths, link._func.codes, link._func.begins):
        assert polychain.backend.get_device_from_array(table) == device


def test_hierarchical_softmax_rejects_a_node_with_three_children():
    with pytest.raises(ValueError, match='two children'):
        L.BinaryHierarchicalSoftmax(2, (0, 1, 2))
