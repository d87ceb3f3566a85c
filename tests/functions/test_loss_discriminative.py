"""discriminative_margin_based_clustering_loss: Chainer's numbers, the reference, gradients."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import gradient_check
from polychain.backend import to_host
from polychain_conformance.cases.loss_structured import _discriminative

loss = F.discriminative_margin_based_clustering_loss


def _chainer_inputs():
    """The embeddings and labels of Chainer's own test: a linspace over 5 x 5 x 10 x 10."""
    embeddings = numpy.linspace(0, 100, 5 * 5 * 10 * 10).reshape(5, 5, 10, 10)
    labels = numpy.linspace(0, 10, 5 * 10 * 10).astype(numpy.int32).reshape(5, 10, 10)
    return embeddings, labels


@pytest.mark.parametrize(('kwargs', 'expected'), [
    ({'delta_v': 0.5, 'delta_d': 5, 'norm': 1, 'alpha': 1, 'beta': 1, 'gamma': 0.001},
     (6.0776708, 64.0, 0.03419368)),
    ({'delta_v': 3, 'delta_d': 10, 'norm': 2, 'alpha': 0.1, 'beta': 0.1, 'gamma': 0.1},
     (0.0, 26.56423595, 1.55665027)),
])
def test_gives_chainers_numbers(device, kwargs, expected):
    embeddings, labels = _chainer_inputs()
    outputs = loss(device.send(embeddings), device.send(labels), max_embedding_dim=5, **kwargs)
    for y, value in zip(outputs, expected):
        assert y.shape == ()
        numpy.testing.assert_allclose(to_host(y.array), value, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize('norm', [1, 2])
def test_matches_the_reference_and_its_gradients_are_finite(device, dtype, rng, norm):
    embeddings = rng.uniform(-2, 2, (2, 3, 4, 3))
    labels = rng.integers(0, 4, (2, 4, 3)).astype('int32')
    x = polychain.Variable(device.send(embeddings.astype(dtype)))
    outputs = loss(x, device.send(labels), 0.2, 1.5, 3, norm=norm)
    for y, value in zip(outputs, _discriminative(embeddings, labels, 0.2, 1.5, 3, norm=norm)):
        assert to_host(y.array).dtype == dtype
        numpy.testing.assert_allclose(to_host(y.array), value, rtol=1e-5)
    F.sum(F.stack(list(outputs))).backward()
    # Pixels outside an instance are at distance 0 from its centre: with the L2 norm the
    # gradient there is 0, not NaN.
    assert numpy.isfinite(to_host(x.grad)).all()


def test_gradients(device, rng):
    labels = device.send(numpy.array([[[1, 1, 2], [0, 3, 2]], [[2, 2, 0], [1, 1, 1]]], 'int32'))
    gradient_check.check_backward(
        lambda e: loss(e, labels, 0.2, 1.5, 3),
        device.send(rng.uniform(-2, 2, (2, 3, 2, 3))),
        tuple(device.send(numpy.asarray(g)) for g in rng.normal(size=3)), atol=1e-7, rtol=1e-6)


def test_rejects_bad_arguments():
    embeddings, labels = numpy.zeros((1, 2, 2, 2)), numpy.zeros((1, 2, 2), 'int32')
    with pytest.raises(ValueError, match='norm 1 or 2'):
        loss(embeddings, labels, 0.5, 1.0, 2, norm=3)
    with pytest.raises(ValueError, match='positive max_embedding_dim'):
        loss(embeddings, labels, 0.5, 1.0, 0)
    with pytest.raises(ValueError, match=r'shape \(B, 3, H, W\)'):
        loss(embeddings, labels, 0.5, 1.0, 3)
