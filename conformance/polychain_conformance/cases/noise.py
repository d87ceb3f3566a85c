"""Cases of the noise functions, made deterministic.

The random draws of a device cannot match a NumPy reference, and gradient
checks call a function many times, so every case fixes its noise: dropout,
gaussian and simplified_dropconnect receive their mask or noise as an
argument (the ``mask``/``eps`` parameters Chainer provides for this), zoneout
runs at the ratios 0 and 1 where its mask is constant, and gumbel_softmax
runs on a single class, where every sample is 1. The random draws themselves
(seeding, statistics, ``config.train``) are pinned down by unit tests.
"""

from __future__ import annotations

import numpy

from polychain_conformance.spec import ArrayConstant, Case, Input

_X = Input((4, 3))
_MASK = ArrayConstant([[[1, 0, 1], [0, 1, 1]], [[1, 1, 0], [0, 0, 1]],
                       [[0, 1, 1], [1, 1, 1]], [[1, 0, 0], [1, 0, 1]]], 'bool')


def _dropconnect(x, W, b, ratio=.5, train=True, mask=None):  # noqa: N803
    if not train:
        return x @ W.T + b
    dropped = W * mask / (1 - ratio)
    return numpy.einsum('nmk,nk->nm', dropped, x) + b


CASES: tuple[Case, ...] = (
    Case('dropout', (_X, Input((4, 3), 0.0, 2.0, raw=True, keyword='mask')),
         lambda x, mask: x * mask, name='dropout_given_mask', strided=True),
    Case('dropout', (_X,), lambda x, ratio: x, name='dropout_ratio_zero',
         kwargs={'ratio': 0.0}),
    Case('gaussian', (_X, _X, Input((4, 3), -2.0, 2.0, raw=True, keyword='eps')),
         lambda mean, ln_var, eps: mean + numpy.exp(ln_var / 2) * eps,
         name='gaussian_given_eps', strided=True),
    Case('gumbel_softmax', (Input((4, 1)),), lambda x, tau: numpy.ones_like(x),
         name='gumbel_softmax_single_class', kwargs={'tau': 0.5}),
    Case('zoneout', (_X, _X), lambda h, x, ratio: x, name='zoneout_ratio_zero',
         kwargs={'ratio': 0.0}),
    Case('zoneout', (_X, _X), lambda h, x, ratio: h, name='zoneout_ratio_one',
         kwargs={'ratio': 1.0}),
    Case('simplified_dropconnect', (Input((4, 3)), Input((2, 3)), Input((2,))), _dropconnect,
         name='simplified_dropconnect_given_mask', kwargs={'mask': _MASK}),
    Case('simplified_dropconnect', (Input((4, 3)), Input((2, 3)), Input((2,))), _dropconnect,
         name='simplified_dropconnect_test_mode', kwargs={'train': False}),
)
