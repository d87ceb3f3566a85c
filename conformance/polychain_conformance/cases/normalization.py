"""Cases of the normalization functions (``polychain.functions.normalization``)."""

from __future__ import annotations

import numpy

from polychain_conformance.spec import Arg, Case, Input, Tolerance


def _batch_axes(x: numpy.ndarray, gamma: numpy.ndarray, axis=None) -> tuple[int, ...]:
    if axis is None:
        return (0,) + tuple(range(gamma.ndim + 1, x.ndim))
    return (axis,) if isinstance(axis, int) else tuple(axis)


def _aligned(parameter: numpy.ndarray, x: numpy.ndarray, axes: tuple[int, ...]) -> numpy.ndarray:
    return parameter.reshape(tuple(1 if i in axes else n for i, n in enumerate(x.shape)))


def _standardized(x: numpy.ndarray, axes: tuple[int, ...], eps: float) -> numpy.ndarray:
    mean = x.mean(axis=axes, keepdims=True)
    return (x - mean) / numpy.sqrt(x.var(axis=axes, keepdims=True) + eps)


def _batch_normalization(x, gamma, beta, eps=2e-5, axis=None):
    axes = _batch_axes(x, gamma, axis)
    return _aligned(gamma, x, axes) * _standardized(x, axes, eps) + _aligned(beta, x, axes)


def _fixed_batch_normalization(x, gamma, beta, mean, var, eps=2e-5, axis=None):
    axes = _batch_axes(x, gamma, axis)
    scale = _aligned(gamma / numpy.sqrt(var + eps), x, axes)
    return (x - _aligned(mean, x, axes)) * scale + _aligned(beta, x, axes)


def _batch_renormalization(x, gamma, beta, rmax, dmax, eps=2e-5, running_mean=None,
                           running_var=None, decay=0.9):
    axes = _batch_axes(x, gamma)
    running_std = numpy.sqrt(_aligned(running_var, x, axes) + eps)
    r = numpy.clip(numpy.sqrt(x.var(axis=axes, keepdims=True) + eps) / running_std,
                   1.0 / rmax, rmax)
    d = numpy.clip((x.mean(axis=axes, keepdims=True) - _aligned(running_mean, x, axes))
                   / running_std, -dmax, dmax)
    x_hat = _standardized(x, axes, eps)
    return _aligned(gamma, x, axes) * (x_hat * r + d) + _aligned(beta, x, axes)


def _layer_normalization(x, gamma, beta, eps=1e-5):
    return gamma * _standardized(x, (1,), eps) + beta


def _group_normalization(x, groups, gamma, beta, eps=1e-5):
    grouped = x.reshape((x.shape[0], groups, -1))
    y = _standardized(grouped, (2,), eps).reshape(x.shape)
    axes = (0,) + tuple(range(2, x.ndim))
    return _aligned(gamma, x, axes) * y + _aligned(beta, x, axes)


def _normalize(x, eps=1e-5, axis=1):
    return x / (numpy.sqrt(numpy.sum(x * x, axis=axis, keepdims=True)) + eps)


def _local_response_normalization(x, n=5, k=2, alpha=1e-4, beta=0.75):
    half = n // 2
    squares = numpy.pad(x * x, [(0, 0), (half, half)] + [(0, 0)] * (x.ndim - 2))
    window = sum(squares[:, i:i + x.shape[1]] for i in range(2 * half + 1))
    return x * (k + alpha * window) ** -beta


def _grouped(x, groups):
    """``x`` (b, groups * C, ...) as (groups, C, b * spatial)."""
    b, channels = x.shape[:2]
    return x.reshape(b, groups, channels // groups, -1).transpose(1, 2, 0, 3).reshape(
        groups, channels // groups, -1)


def _ungrouped(y, shape):
    return y.reshape(y.shape[0], y.shape[1], shape[0], -1).transpose(2, 0, 1, 3).reshape(shape)


def _fixed_decorrelated_batch_normalization(x, mean, projection, groups=16):
    return _ungrouped(projection @ (_grouped(x, groups) - mean[:, :, None]), x.shape)


def _decorrelated_batch_normalization(x, groups=16, eps=2e-5):
    xg = _grouped(x, groups)
    mean = xg.mean(axis=2)
    centred = xg - mean[:, :, None]
    covariance = centred @ centred.transpose(0, 2, 1) / xg.shape[2] + eps * numpy.eye(xg.shape[1])
    w, v = numpy.linalg.eigh(covariance)
    projection = (v / numpy.sqrt(w)[:, None, :]) @ v.transpose(0, 2, 1)
    return _fixed_decorrelated_batch_normalization(x, mean, projection, groups)


_X = Input((5, 3, 4))
_GAMMA = Input((3,), 0.5, 1.5)
_BETA = Input((3,))
# Averages of few values are loose in float16; the input gradient of a
# standardization is a small difference of large terms.
_STATISTICS = {'float16': Tolerance(5e-3, 2e-2, 5e-2, 5e-2, 1e-3)}
# An eigendecomposition per group: float32 keeps about six digits of the whitened values.
_WHITENING = {'float32': Tolerance(1e-5, 1e-4, 1e-3, 1e-2, 1e-3)}

CASES: tuple[Case, ...] = (
    Case('batch_normalization', (_X, _GAMMA, _BETA), _batch_normalization,
         tolerances=_STATISTICS, strided=True),
    Case('batch_normalization', (Input((6, 3)), _GAMMA, _BETA), _batch_normalization,
         name='batch_normalization_2d', tolerances=_STATISTICS),
    Case('batch_normalization', (Input((4, 2, 3, 2)), Input((2, 3), 0.5, 1.5),
                                 Input((2, 3))), _batch_normalization,
         name='batch_normalization_channel_shape', kwargs={'eps': 1e-3},
         tolerances=_STATISTICS),
    Case('batch_normalization', (Input((4, 2, 3)), _GAMMA, _BETA), _batch_normalization,
         name='batch_normalization_axis', kwargs={'axis': (0, 1)}, tolerances=_STATISTICS),
    Case('fixed_batch_normalization', (_X, _GAMMA, _BETA, Input((3,)), Input((3,), 0.5, 1.5)),
         _fixed_batch_normalization, strided=True),
    Case('fixed_batch_normalization', (Input((4, 2, 3)), _GAMMA, _BETA, Input((3,)),
                                       Input((3,), 0.5, 1.5)),
         _fixed_batch_normalization, name='fixed_batch_normalization_axis',
         kwargs={'axis': (0, 1)}),
    # Deprecated in Chainer: computes fixed_batch_normalization.
    Case('fixed_batch_renormalization', (_X, _GAMMA, _BETA, Input((3,)), Input((3,), 0.5, 1.5)),
         _fixed_batch_normalization, warns=DeprecationWarning),
    # The running statistics are far from the batch's, so that r and d sit at
    # their clipping bounds, where treating them as constants is exact.
    Case('batch_renormalization', (_X, _GAMMA, _BETA, Arg(2.0), Arg(0.5),
                                   Input((3,), 3.0, 4.0, raw=True, keyword='running_mean'),
                                   Input((3,), 0.01, 0.02, raw=True, keyword='running_var')),
         _batch_renormalization, tolerances=_STATISTICS),
    # Whitening is not differentiated twice (as in Chainer).
    Case('decorrelated_batch_normalization', (Input((6, 4, 3)),),
         _decorrelated_batch_normalization, kwargs={'groups': 2}, dtypes=('float32', 'float64'),
         tolerances=_WHITENING, double_backprop=False, strided=True),
    Case('decorrelated_batch_normalization', (Input((7, 3)),),
         _decorrelated_batch_normalization, name='decorrelated_batch_normalization_one_group',
         kwargs={'groups': 1, 'eps': 0.1}, dtypes=('float32', 'float64'),
         tolerances=_WHITENING, double_backprop=False),
    Case('fixed_decorrelated_batch_normalization',
         (Input((5, 4, 3)), Input((2, 2)), Input((2, 2, 2), 0.5, 1.0)),
         _fixed_decorrelated_batch_normalization, kwargs={'groups': 2},
         tolerances=_STATISTICS, strided=True),
    Case('layer_normalization', (Input((4, 5)), Input((5,), 0.5, 1.5), Input((5,))),
         _layer_normalization, tolerances=_STATISTICS, strided=True),
    Case('group_normalization', (Input((3, 6, 2, 2)), Arg(3), Input((6,), 0.5, 1.5),
                                 Input((6,))), _group_normalization, tolerances=_STATISTICS),
    Case('group_normalization', (Input((2, 4, 3)), Arg(4), Input((4,), 0.5, 1.5),
                                 Input((4,))), _group_normalization,
         name='group_normalization_group_per_channel', kwargs={'eps': 1e-3},
         tolerances=_STATISTICS),
    Case('normalize', (Input((3, 4), gap=0.1),), _normalize, strided=True),
    Case('normalize', (_X,), _normalize, name='normalize_axis', kwargs={'axis': 2}),
    Case('local_response_normalization', (Input((2, 7, 3), -2.0, 2.0),),
         _local_response_normalization, kwargs={'alpha': 0.1}, strided=True),
    Case('local_response_normalization', (Input((2, 4), -2.0, 2.0),),
         _local_response_normalization, name='local_response_normalization_even_window',
         kwargs={'n': 4, 'k': 1.0, 'alpha': 0.5, 'beta': 0.5}),
)
