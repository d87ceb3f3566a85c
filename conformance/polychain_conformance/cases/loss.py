"""Cases of the loss functions."""

from __future__ import annotations

import numpy

from polychain_conformance.spec import ArrayConstant, Case, Input

_LABELS = ArrayConstant([0, 2, -1, 1])
_LABELS_3D = ArrayConstant([[0, 1, 2, -1], [2, 2, 0, 1]])
_BINARY = ArrayConstant([[0, 1, -1], [1, 1, 0], [0, -1, 1], [1, 0, 0]])


def _log_softmax(x: numpy.ndarray) -> numpy.ndarray:
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - numpy.log(numpy.exp(shifted).sum(axis=1, keepdims=True))


def _softmax_cross_entropy(x, t, normalize=True, class_weight=None, ignore_label=-1,
                           reduce='mean', **_):
    valid = t != ignore_label
    safe = numpy.where(valid, t, 0)
    log_p = numpy.take_along_axis(_log_softmax(x), safe[:, None], axis=1)[:, 0]
    weight = valid.astype(numpy.float64)
    if class_weight is not None:
        weight = weight * class_weight[safe]
    loss = -log_p * weight
    if reduce == 'no':
        return loss
    count = valid.sum() if normalize else len(x)
    return loss.sum() / max(count, 1)


def _soft_target_cross_entropy(x, t, soft_target_loss='cross-entropy', reduce='mean'):
    loss = -(t * _log_softmax(x)).sum(axis=1)
    if soft_target_loss == 'kl-divergence':
        loss += (t * numpy.log(t)).sum(axis=1)
    return loss.mean() if reduce == 'mean' else loss


def _sigmoid_cross_entropy(x, t, normalize=True, reduce='mean'):
    valid = (t != -1).astype(numpy.float64)
    loss = (numpy.log1p(numpy.exp(-numpy.abs(x))) + numpy.maximum(x, 0) - x * t) * valid
    if reduce == 'no':
        return loss
    return loss.sum() / (max(valid.sum(), 1) if normalize else len(x))


def _huber_loss(x, t, delta, reduce='sum_along_second_axis'):
    d = numpy.abs(x - t)
    loss = numpy.where(d <= delta, 0.5 * d * d, delta * (d - 0.5 * delta))
    return loss.sum(axis=1) if reduce == 'sum_along_second_axis' else loss


def _hinge(x, t, norm='L1', reduce='mean'):
    sign = numpy.ones_like(x)
    sign[numpy.arange(len(t)), t] = -1
    loss = numpy.maximum(0, 1 + sign * x) ** (1 if norm == 'L1' else 2)
    return loss.sum() / len(x) if reduce == 'mean' else loss


def _contrastive(x0, x1, y, margin=1, reduce='mean'):
    d = numpy.sqrt(((x0 - x1) ** 2).sum(axis=1))
    loss = 0.5 * (y * d * d + (1 - y) * numpy.maximum(margin - d, 0) ** 2)
    return loss.mean() if reduce == 'mean' else loss


def _triplet(a, p, n, margin=0.2, reduce='mean'):
    loss = numpy.maximum(((a - p) ** 2).sum(axis=1) - ((a - n) ** 2).sum(axis=1) + margin, 0)
    return loss.mean() if reduce == 'mean' else loss


def _reduce_sum(loss, reduce):
    return loss.sum() if reduce == 'sum' else loss


def _bernoulli_nll(x, y, reduce='sum'):
    return _reduce_sum(numpy.logaddexp(0, y) - x * y, reduce)


def _gaussian_kl_divergence(mean, ln_var, reduce='sum'):
    return _reduce_sum((mean * mean + numpy.exp(ln_var) - ln_var - 1) * 0.5, reduce)


def _gaussian_nll(x, mean, ln_var, reduce='sum'):
    loss = 0.5 * (ln_var + numpy.log(2 * numpy.pi)) + 0.5 * (x - mean) ** 2 * numpy.exp(-ln_var)
    return _reduce_sum(loss, reduce)


def _cross_covariance(y, z, reduce='half_squared_sum'):
    covariance = (y - y.mean(axis=0)).T @ (z - z.mean(axis=0)) / len(y)
    return 0.5 * (covariance ** 2).sum() if reduce == 'half_squared_sum' else covariance


def _decov(h, reduce='half_squared_sum'):
    centred = h - h.mean(axis=0, keepdims=True)
    covariance = centred.T @ centred / len(h)
    numpy.fill_diagonal(covariance, 0)
    return 0.5 * (covariance ** 2).sum() if reduce == 'half_squared_sum' else covariance


_X = Input((4, 3), -2.0, 2.0)
_Y = Input((4, 3), -2.0, 2.0)
# Differences of two inputs kept away from 0, where |d| has a kink.
_FAR = Input((4, 3), 0.5, 1.5)
_NEAR = Input((4, 3), -0.3, 0.3)
# Scores below -1.2: the margins 1 + x of the other classes are inactive, 1 - x of the label
# active, and both away from the kink at 0.
_SCORES = Input((4, 3), -3.0, -1.2)

CASES: tuple[Case, ...] = (
    Case('softmax_cross_entropy', (_X, _LABELS), _softmax_cross_entropy, strided=True),
    Case('softmax_cross_entropy', (_X, _LABELS), _softmax_cross_entropy,
         name='softmax_cross_entropy_no_reduce', kwargs={'reduce': 'no'}),
    Case('softmax_cross_entropy', (_X, _LABELS), _softmax_cross_entropy,
         name='softmax_cross_entropy_unnormalized', kwargs={'normalize': False}),
    Case('softmax_cross_entropy', (_X, _LABELS, Input((3,), 0.5, 2.0, raw=True,
                                                      keyword='class_weight')),
         _softmax_cross_entropy, name='softmax_cross_entropy_class_weight'),
    Case('softmax_cross_entropy', (_X, _LABELS), _softmax_cross_entropy,
         name='softmax_cross_entropy_double_backprop',
         kwargs={'enable_double_backprop': True, 'cache_score': False}),
    Case('softmax_cross_entropy', (Input((2, 3, 4), -2.0, 2.0), _LABELS_3D),
         lambda x, t, **kw: _softmax_cross_entropy(
             numpy.moveaxis(x, 1, -1).reshape(-1, 3), t.reshape(-1), **kw),
         name='softmax_cross_entropy_spatial'),
    Case('softmax_cross_entropy', (_X, Input((4, 3), 0.1, 1.0, raw=True)),
         _soft_target_cross_entropy, name='softmax_cross_entropy_soft_target'),
    Case('softmax_cross_entropy', (_X, Input((4, 3), 0.1, 1.0, raw=True)),
         _soft_target_cross_entropy, name='softmax_cross_entropy_soft_target_kl',
         kwargs={'soft_target_loss': 'kl-divergence', 'reduce': 'no'}),
    Case('squared_error', (_X, _Y), lambda a, b: (a - b) ** 2, strided=True),
    Case('mean_squared_error', (_X, _Y), lambda a, b: ((a - b) ** 2).mean(), strided=True),
    Case('absolute_error', (_FAR, _NEAR), lambda a, b: numpy.abs(a - b), strided=True),
    Case('mean_absolute_error', (_FAR, _NEAR), lambda a, b: numpy.abs(a - b).mean()),
    Case('sigmoid_cross_entropy', (_X, _BINARY), _sigmoid_cross_entropy, strided=True),
    Case('sigmoid_cross_entropy', (_X, _BINARY), _sigmoid_cross_entropy,
         name='sigmoid_cross_entropy_no_reduce', kwargs={'reduce': 'no'}),
    Case('sigmoid_cross_entropy', (_X, _BINARY), _sigmoid_cross_entropy,
         name='sigmoid_cross_entropy_unnormalized', kwargs={'normalize': False}),
    # |x - t| < 1.6 < delta: quadratic; |x - t| > 0.5 > delta: linear.
    Case('huber_loss', (Input((4, 3), -1.5, 1.5), Input((4, 3), -0.1, 0.1)), _huber_loss,
         kwargs={'delta': 2.0}),
    Case('huber_loss', (Input((4, 3), -1.5, 1.5, gap=0.6), Input((4, 3), -0.1, 0.1)),
         _huber_loss, name='huber_loss_linear_no_reduce', kwargs={'delta': 0.3, 'reduce': 'no'}),
    Case('hinge', (_SCORES, ArrayConstant([0, 2, 1, 1])), _hinge),
    Case('hinge', (_SCORES, ArrayConstant([0, 2, 1, 1])), _hinge, name='hinge_l2_no_reduce',
         kwargs={'norm': 'L2', 'reduce': 'no'}),
    Case('contrastive', (_X, _Y, ArrayConstant([1, 0, 0, 1])), _contrastive,
         kwargs={'margin': 4.0}),
    Case('contrastive', (_X, _Y, ArrayConstant([1, 0, 0, 1])), _contrastive,
         name='contrastive_no_reduce', kwargs={'margin': 4.0, 'reduce': 'no'}),
    Case('triplet', (_X, Input((4, 3), -0.5, 0.5), _Y), _triplet, kwargs={'margin': 8.0}),
    Case('triplet', (_X, Input((4, 3), -0.5, 0.5), _Y), _triplet, name='triplet_no_reduce',
         kwargs={'margin': 8.0, 'reduce': 'no'}),
    Case('bernoulli_nll', (Input((4, 3), 0.0, 1.0), _X), _bernoulli_nll),
    Case('bernoulli_nll', (Input((4, 3), 0.0, 1.0), _X), _bernoulli_nll,
         name='bernoulli_nll_no_reduce', kwargs={'reduce': 'no'}),
    Case('gaussian_kl_divergence', (_X, _Y), _gaussian_kl_divergence),
    Case('gaussian_kl_divergence', (_X, _Y), _gaussian_kl_divergence,
         name='gaussian_kl_divergence_no_reduce', kwargs={'reduce': 'no'}),
    Case('gaussian_nll', (_X, _Y, Input((4, 3))), _gaussian_nll),
    Case('gaussian_nll', (_X, _Y, Input((4, 3))), _gaussian_nll,
         name='gaussian_nll_no_reduce', kwargs={'reduce': 'no'}),
    Case('decov', (Input((5, 3)),), _decov),
    Case('decov', (Input((5, 3)),), _decov, name='decov_no_reduce', kwargs={'reduce': 'no'}),
    Case('cross_covariance', (Input((5, 3)), Input((5, 2))), _cross_covariance),
    Case('cross_covariance', (Input((5, 3)), Input((5, 2))), _cross_covariance,
         name='cross_covariance_no_reduce', kwargs={'reduce': 'no'}),
)
