"""Cases of the structured and sampled losses: crf1d, argmax_crf1d, negative_sampling,
black_out and the discriminative clustering loss.

Sampled negatives are fixed: ``negative_sampling`` gets a sampler returning
a constant id array (on the device under test), ``black_out`` its samples as
an argument. The random draws themselves are pinned down by unit tests.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy

from polychain_conformance.spec import Arg, ArrayConstant, Case, Input

# Three sequences of lengths 3, 2 and 1 over 3 labels, transposed (position-major).
_CRF_XS = (Input((3, 3)), Input((2, 3)), Input((1, 3)))
_CRF_YS = (ArrayConstant([0, 2, 1], 'int32'), ArrayConstant([1, 1], 'int32'),
           ArrayConstant([2], 'int32'))


def _crf_arguments(args: list[Any]) -> list[Any]:
    """``cost, x_0, x_1, x_2, y_0, y_1, y_2`` as ``cost, xs, ys``."""
    return [args[0], args[1:4], args[4:7]]


def _crf_score(cost: numpy.ndarray, xs: list[numpy.ndarray], b: int, labels: tuple[int, ...]
               ) -> float:
    emitted = sum(x[b, y] for x, y in zip(xs, labels))
    return emitted + sum(cost[y0, y1] for y0, y1 in zip(labels[:-1], labels[1:]))


def _crf1d(cost, xs, ys, reduce='mean'):
    """The loss by enumerating every labelling of each sequence."""
    losses = []
    for b in range(len(xs[0])):
        length = sum(1 for x in xs if len(x) > b)
        scores = [_crf_score(cost, xs, b, labels)
                  for labels in itertools.product(range(cost.shape[0]), repeat=length)]
        target = _crf_score(cost, xs, b, tuple(int(y[b]) for y in ys[:length]))
        losses.append(numpy.logaddexp.reduce(scores) - target)
    losses = numpy.asarray(losses)
    return losses.mean() if reduce == 'mean' else losses


def _argmax_crf1d_score(cost, xs):
    """The score of the best labelling of each sequence, by enumeration."""
    return numpy.asarray([
        max(_crf_score(cost, xs, b, labels) for labels in itertools.product(
            range(cost.shape[0]), repeat=sum(1 for x in xs if len(x) > b)))
        for b in range(len(xs[0]))])


def _score_only(result: tuple[Any, list[Any]]) -> Any:
    """``argmax_crf1d``'s score; its paths, index arrays, are checked by unit tests."""
    return result[0]


class _FixedSampler:
    """A sampler that always returns the same ids (whatever shape is asked, it must match)."""

    def __init__(self, samples: Any) -> None:
        self.samples = samples

    def __call__(self, shape: tuple[int, ...]) -> Any:
        assert tuple(self.samples.shape) == tuple(shape), (self.samples.shape, shape)
        return self.samples


def _with_sampler(args: list[Any]) -> list[Any]:
    """``x, t, W, samples, sample_size`` with the samples wrapped in a sampler."""
    x, t, w, samples, sample_size = args
    return [x, t, w, _FixedSampler(samples), sample_size]


def _negative_sampling(x, t, w, sampler, sample_size, reduce='sum'):
    ids = numpy.array(sampler((len(t), sample_size + 1)))
    ids[:, 0] = t
    scores = numpy.einsum('bkd,bd->bk', w[numpy.maximum(ids, 0)], x)
    scores[:, 0] *= -1
    loss = numpy.logaddexp(scores, 0).sum(axis=1) * (t != -1)
    return loss.sum() if reduce == 'sum' else loss


def _black_out(x, t, w, samples, reduce='mean'):
    ids = numpy.concatenate([t[:, None], samples], axis=1)
    scores = numpy.einsum('bkd,bd->bk', w[ids], x)
    log_p = scores - numpy.logaddexp.reduce(scores, axis=1, keepdims=True)
    loss = -(log_p[:, 0] + numpy.log1p(-numpy.exp(log_p[:, 1:])).sum(axis=1))
    return loss.mean() if reduce == 'mean' else loss


def _norm(v: numpy.ndarray, axis: Any, norm: int) -> numpy.ndarray:
    return numpy.abs(v).sum(axis=axis) if norm == 1 else numpy.sqrt((v * v).sum(axis=axis))


def _discriminative(embeddings, labels, delta_v, delta_d, k, norm=1, alpha=1.0, beta=1.0,
                    gamma=0.001):
    """The three terms, instance by instance and pair by pair."""
    batch = embeddings.shape[0]
    means = numpy.zeros((k, batch, k))
    pulls = numpy.zeros(k)
    for c in range(k):
        for b in range(batch):
            pixels = embeddings[b][:, labels[b] == c + 1]          # (D, n)
            if pixels.shape[1]:
                means[c, b] = pixels.mean(axis=1)
                dist = _norm(pixels - means[c, b][:, None], 0, norm)
                pulls[c] += (numpy.maximum(dist - delta_v, 0) ** 2).sum()
        pulls[c] /= max((labels == c + 1).sum(), 1)
    pairs = list(itertools.combinations(range(k), 2))
    pushes = sum((numpy.maximum(2 * delta_d - _norm(means[a] - means[c], 1, norm), 0) ** 2).sum()
                 for a, c in pairs)
    regularisation = sum(_norm(means[c], None, norm) for c in range(k)) / (k * batch)
    return (alpha * pulls.sum() / k, beta * pushes / max(len(pairs) * batch, 1),
            gamma * regularisation)


_NS_ARGS = (Input((3, 4)), ArrayConstant([0, 2, -1], 'int32'), Input((5, 4)),
            ArrayConstant([[4, 1, 3], [0, 4, 4], [2, 3, 1]], 'int32'), Arg(2))
_BO_ARGS = (Input((3, 4)), ArrayConstant([0, 2, 1], 'int32'), Input((5, 4)),
            ArrayConstant([[4, 1], [0, 3], [2, 4]], 'int32'))
# Two images of 2 x 3 pixels, 3 instances (label 0 is the background).
_DML_ARGS = (Input((2, 3, 2, 3), -2.0, 2.0),
             ArrayConstant([[[1, 1, 2], [0, 3, 2]], [[2, 2, 0], [1, 1, 1]]], 'int32'),
             Arg(0.2), Arg(1.5), Arg(3))

CASES: tuple[Case, ...] = (
    Case('crf1d', (Input((3, 3)), *_CRF_XS, *_CRF_YS), _crf1d, arrange=_crf_arguments),
    Case('crf1d', (Input((3, 3)), *_CRF_XS, *_CRF_YS), _crf1d, name='crf1d_no_reduce',
         kwargs={'reduce': 'no'}, arrange=_crf_arguments),
    Case('argmax_crf1d', (Input((3, 3)), *_CRF_XS), _argmax_crf1d_score,
         arrange=lambda args: [args[0], args[1:4]], outputs=_score_only),
    Case('negative_sampling', _NS_ARGS, _negative_sampling, arrange=_with_sampler),
    Case('negative_sampling', _NS_ARGS, _negative_sampling, name='negative_sampling_no_reduce',
         kwargs={'reduce': 'no'}, arrange=_with_sampler),
    Case('black_out', _BO_ARGS, _black_out),
    Case('black_out', _BO_ARGS, _black_out, name='black_out_no_reduce', kwargs={'reduce': 'no'}),
    Case('discriminative_margin_based_clustering_loss', _DML_ARGS, _discriminative),
    Case('discriminative_margin_based_clustering_loss', _DML_ARGS, _discriminative,
         name='discriminative_margin_based_clustering_loss_l2',
         kwargs={'norm': 2, 'alpha': 0.5, 'beta': 2.0, 'gamma': 0.1}),
)
