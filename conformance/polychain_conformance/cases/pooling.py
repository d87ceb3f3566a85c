"""Cases of the pooling functions: max, average, unpooling, upsampling, spatial pyramid."""

from __future__ import annotations

import itertools
from typing import Any

import numpy
from numpy.lib.stride_tricks import sliding_window_view

from polychain_conformance.spec import Arg, ArrayConstant, Case, Input

# Max pooling's gradient jumps where two elements of a window tie: a wide range keeps the
# elements of a window further apart than the numerical differences' steps. Shapes and
# paddings leave no window wholly in the padding (its maximum would be -inf, as in Chainer).
_WIDE = {'low': -10.0, 'high': 10.0}
_MAX_DTYPES = ('float32', 'float64')


def _spatial(value: Any, ndim: int) -> tuple[int, ...]:
    return (value,) * ndim if isinstance(value, int) else tuple(value)


def _windows(x: numpy.ndarray, ksize: Any, stride: Any, pad: Any, cover_all: bool,
             value: float) -> numpy.ndarray:
    """The windows of ``x`` as ``(N, C, *out_size, *ksize)``."""
    ndim = x.ndim - 2
    ksize = _spatial(ksize, ndim)
    stride = ksize if stride is None else _spatial(stride, ndim)
    pad = _spatial(pad, ndim)
    out = [(n + 2 * p - k + (s - 1 if cover_all else 0)) // s + 1
           for n, k, s, p in zip(x.shape[2:], ksize, stride, pad)]
    need = [(o - 1) * s + k for o, s, k in zip(out, stride, ksize)]
    padded = numpy.pad(x, ((0, 0), (0, 0)) + tuple(
        (p, max(m - n - p, 0)) for n, p, m in zip(x.shape[2:], pad, need)),
        constant_values=value)
    padded = padded[(Ellipsis,) + tuple(slice(0, m) for m in need)]
    view = sliding_window_view(padded, ksize, axis=tuple(range(2, 2 + ndim)))
    return view[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)]


def _window_axes(x: numpy.ndarray) -> tuple[int, ...]:
    return tuple(range(-(x.ndim - 2), 0))


def _max_pooling(x, ksize, stride=None, pad=0, cover_all=True):
    return _windows(x, ksize, stride, pad, cover_all, -numpy.inf).max(axis=_window_axes(x))


def _average_pooling(x, ksize, stride=None, pad=0, pad_value=0):
    sums = _windows(x, ksize, stride, pad, False, 0.0).sum(axis=_window_axes(x))
    if pad_value is None:
        counts = _windows(numpy.ones_like(x), ksize, stride, pad, False, 0.0)
        return sums / counts.sum(axis=_window_axes(x))
    return sums / numpy.prod(_spatial(ksize, x.ndim - 2))


def _scatter(x: numpy.ndarray, ksize: Any, stride: Any, pad: Any, outsize: Any,
             offsets_of: Any) -> numpy.ndarray:
    """Adds ``x[n, c, i]`` at ``i * stride + r - pad`` for each window offset ``r`` chosen."""
    ndim = x.ndim - 2
    ksize = _spatial(ksize, ndim)
    stride = ksize if stride is None else _spatial(stride, ndim)
    pad = _spatial(pad, ndim)
    y = numpy.zeros(x.shape[:2] + tuple(outsize))
    for n, c in itertools.product(range(x.shape[0]), range(x.shape[1])):
        for i in itertools.product(*(range(m) for m in x.shape[2:])):
            for r in offsets_of(n, c, i, ksize):
                at = tuple(ii * s + rr - p for ii, s, rr, p in zip(i, stride, r, pad))
                if all(0 <= a < m for a, m in zip(at, outsize)):
                    y[(n, c) + at] += x[(n, c) + i]
    return y


def _unpooling(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    return _scatter(x, ksize, stride, pad, outsize,
                    lambda n, c, i, k: itertools.product(*(range(kk) for kk in k)))


_INDEXES = numpy.random.default_rng(7).integers(0, 9, (2, 2, 3, 3))


def _upsampling(x, indexes, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    return _scatter(x, ksize, stride, pad, outsize,
                    lambda n, c, i, k: [numpy.unravel_index(indexes[(n, c) + i], k)])


def _spatial_pyramid(x, pyramid_height, pooling=None):
    levels = []
    for level in range(pyramid_height):
        bins = 2 ** level
        ksize = tuple(-(-n // bins) for n in x.shape[2:])
        pad = tuple((k * bins - n) // 2 for k, n in zip(ksize, x.shape[2:]))
        levels.append(_max_pooling(x, ksize, ksize, pad).reshape(x.shape[0], -1, 1, 1))
    return numpy.concatenate(levels, axis=1)


def _bin_slice(index: int, bin_size: float, origin: int, size: int) -> slice:
    start = min(max(int(numpy.floor(index * bin_size)) + origin, 0), size)
    stop = min(max(int(numpy.ceil((index + 1) * bin_size)) + origin, 0), size)
    return slice(start, stop)


def _roi_reduce(x, boxes, batch, extent, outsize, spatial_scale, reduce):
    """Chainer's ROI pooling loop: ``boxes`` are (y_min, x_min, y_max, x_max) per ROI."""
    outh, outw = (outsize, outsize) if isinstance(outsize, int) else outsize
    y = numpy.zeros((len(boxes), x.shape[1], outh, outw))
    for r, (box, n) in enumerate(zip(boxes, batch)):
        y0, x0, y1, x1 = (int(round(v * spatial_scale)) for v in box)
        bin_h = max(y1 - y0 + extent, 1) / outh
        bin_w = max(x1 - x0 + extent, 1) / outw
        for i, j in itertools.product(range(outh), range(outw)):
            rows = _bin_slice(i, bin_h, y0, x.shape[2])
            cols = _bin_slice(j, bin_w, x0, x.shape[3])
            if rows.stop > rows.start and cols.stop > cols.start:
                y[r, :, i, j] = reduce(x[int(n), :, rows, cols], axis=(1, 2))
    return y


def _roi_pooling(x, rois, outh, outw, spatial_scale):
    return _roi_reduce(x, rois[:, [2, 1, 4, 3]], rois[:, 0], 1, (outh, outw), spatial_scale,
                       numpy.max)


def _roi_max_pooling(x, rois, roi_indices, outsize, spatial_scale):
    return _roi_reduce(x, rois, roi_indices, 0, outsize, spatial_scale, numpy.max)


def _roi_average_pooling(x, rois, roi_indices, outsize, spatial_scale):
    return _roi_reduce(x, rois, roi_indices, 0, outsize, spatial_scale, numpy.mean)


def _bilinear_taps(p: float, size: int) -> list[tuple[int, float]]:
    """(position, weight) pairs of a bilinear sample at ``p``; none outside ``[-1, size]``."""
    if p < -1 or p > size:
        return []
    p = max(p, 0.0)
    low = int(numpy.floor(p))
    if low >= size - 1:
        return [(size - 1, 1.0)]
    return [(low, 1.0 - (p - low)), (low + 1, p - low)]


def _align_samples(x, rois, roi_indices, outsize, spatial_scale, sampling_ratio):
    """Yields ``(r, i, j, values)``: the valid bilinear samples of bin ``(i, j)`` of ROI ``r``,
    ``(n_samples, C)``, and the grid size of the bin."""
    outh, outw = (outsize, outsize) if isinstance(outsize, int) else outsize
    grid = (sampling_ratio, sampling_ratio) if not isinstance(sampling_ratio, tuple) \
        else sampling_ratio
    for r, (box, n) in enumerate(zip(rois, roi_indices)):
        y0, x0, y1, x1 = (v * spatial_scale for v in box)
        bin_h, bin_w = max(y1 - y0, 1.0) / outh, max(x1 - x0, 1.0) / outw
        grid_h = grid[0] or int(numpy.ceil(bin_h))
        grid_w = grid[1] or int(numpy.ceil(bin_w))
        for i, j in itertools.product(range(outh), range(outw)):
            values = []
            for gi, gj in itertools.product(range(grid_h), range(grid_w)):
                py = y0 + i * bin_h + (gi + 0.5) * bin_h / grid_h
                px = x0 + j * bin_w + (gj + 0.5) * bin_w / grid_w
                rows, cols = _bilinear_taps(py, x.shape[2]), _bilinear_taps(px, x.shape[3])
                if rows and cols:
                    values.append(sum(wh * ww * x[int(n), :, h, w]
                                      for (h, wh), (w, ww) in itertools.product(rows, cols)))
            yield r, i, j, numpy.reshape(values, (-1, x.shape[1])), grid_h * grid_w


def _roi_align(x, rois, roi_indices, outsize, spatial_scale, sampling_ratio, reduce):
    outh, outw = (outsize, outsize) if isinstance(outsize, int) else outsize
    y = numpy.zeros((len(rois), x.shape[1], outh, outw))
    for r, i, j, values, count in _align_samples(x, rois, roi_indices, outsize, spatial_scale,
                                                 sampling_ratio):
        y[r, :, i, j] = reduce(values, count)
    return y


def _roi_average_align(x, rois, roi_indices, outsize, spatial_scale, sampling_ratio=None):
    return _roi_align(x, rois, roi_indices, outsize, spatial_scale, sampling_ratio,
                      lambda values, count: values.sum(axis=0) / count)


def _roi_max_align(x, rois, roi_indices, outsize, spatial_scale, sampling_ratio=None):
    return _roi_align(x, rois, roi_indices, outsize, spatial_scale, sampling_ratio,
                      lambda values, count: values.max(axis=0, initial=-numpy.inf))


# Boxes that overlap, cross the border, are degenerate or leave some bins empty.
_BOXES = [[0.0, 2.0, 9.0, 12.0], [4.0, 0.0, 14.0, 6.0], [6.0, 6.0, 6.0, 6.0],
          [-4.0, 10.0, 18.0, 30.0]]
# Fractional boxes for align, which does not round; one reaches beyond -1 and the far border.
_ALIGN_BOXES = [[0.7, 2.3, 9.1, 12.9], [4.2, -6.0, 14.5, 6.2], [6.3, 6.1, 6.6, 6.4],
                [-4.5, 10.2, 18.3, 30.7]]
# Boxes for max align: every bin keeps a sample inside (an empty bin's maximum is -inf).
_MAX_ALIGN_BOXES = [[0.7, 2.3, 9.1, 12.9], [4.2, -2.0, 14.5, 6.2], [6.3, 6.1, 6.6, 6.4],
                    [-2.5, 6.2, 14.3, 14.7]]
_ROI_BATCH = ArrayConstant([0, 1, 0, 1], 'int32')
_ROIS_WITH_BATCH = ArrayConstant([[n] + [box[1], box[0], box[3], box[2]]
                                  for n, box in zip([0, 1, 0, 1], _BOXES)], 'float64')

_X1 = Input((2, 3, 7), **_WIDE)
_X2 = Input((2, 3, 5, 6), **_WIDE)
_X3 = Input((1, 2, 3, 4, 5), **_WIDE)
_AVG_X1, _AVG_X2, _AVG_X3 = (Input(x.shape) for x in (_X1, _X2, _X3))

CASES: tuple[Case, ...] = (
    Case('max_pooling_2d', (_X2, Arg(2)), _max_pooling, dtypes=_MAX_DTYPES, strided=True),
    Case('max_pooling_2d', (_X2, Arg(3), Arg(2), Arg(1)), _max_pooling,
         name='max_pooling_2d_overlapping_padded', dtypes=_MAX_DTYPES),
    Case('max_pooling_2d', (_X2, Arg((2, 3)), Arg((1, 2))), _max_pooling,
         name='max_pooling_2d_not_cover_all', kwargs={'cover_all': False},
         dtypes=_MAX_DTYPES),
    Case('max_pooling_1d', (_X1, Arg(3), Arg(2), Arg(1)), _max_pooling, dtypes=_MAX_DTYPES),
    Case('max_pooling_3d', (_X3, Arg(2), Arg(1)), _max_pooling, dtypes=_MAX_DTYPES,
         strided=True),
    Case('max_pooling_nd', (_X3, Arg((2, 3, 2)), Arg(2), Arg((0, 1, 0))), _max_pooling,
         dtypes=_MAX_DTYPES),
    Case('average_pooling_2d', (_AVG_X2, Arg(2)), _average_pooling, strided=True),
    Case('average_pooling_2d', (_AVG_X2, Arg(3), Arg(2), Arg(1)), _average_pooling,
         name='average_pooling_2d_overlapping_padded'),
    Case('average_pooling_1d', (_AVG_X1, Arg(3), Arg(2), Arg(1)), _average_pooling),
    Case('average_pooling_1d', (_AVG_X1, Arg(3), Arg(2), Arg(1)), _average_pooling,
         name='average_pooling_1d_pad_value_none', kwargs={'pad_value': None}),
    Case('average_pooling_3d', (_AVG_X3, Arg(2), Arg(1), Arg(1)), _average_pooling, strided=True),
    Case('average_pooling_nd', (_AVG_X3, Arg((2, 3, 2)), Arg(2), Arg((1, 1, 0))), _average_pooling,
         kwargs={'pad_value': None}),
    Case('unpooling_2d', (Input((2, 3, 3, 2)), Arg(2)), _unpooling,
         kwargs={'outsize': (6, 4), 'cover_all': False}, strided=True),
    Case('unpooling_2d', (Input((2, 3, 3, 3)), Arg(3), Arg(2), Arg(1)), _unpooling,
         name='unpooling_2d_overlapping_padded', kwargs={'outsize': (5, 5)}),
    Case('unpooling_1d', (Input((2, 3, 4)), Arg(3), Arg(2)), _unpooling,
         kwargs={'outsize': (8,)}),
    Case('unpooling_3d', (Input((1, 2, 2, 3, 2)), Arg(2)), _unpooling,
         kwargs={'outsize': (4, 6, 4), 'cover_all': False}),
    Case('unpooling_nd', (Input((1, 2, 2, 3, 2)), Arg((2, 3, 2)), Arg(2), Arg((0, 1, 1))),
         _unpooling, kwargs={'outsize': (4, 5, 2)}),
    Case('upsampling_2d', (Input((2, 2, 3, 3)), ArrayConstant(_INDEXES.tolist()), Arg(3),
                           Arg(2), Arg(1)), _upsampling, kwargs={'outsize': (5, 5)},
         strided=True),
    Case('spatial_pyramid_pooling_2d', (Input((2, 3, 6, 7), **_WIDE), Arg(3)),
         _spatial_pyramid, kwargs={'pooling': 'max'}, dtypes=_MAX_DTYPES),
    Case('roi_pooling_2d', (Input((2, 3, 6, 7), **_WIDE), _ROIS_WITH_BATCH, Arg(3), Arg(2),
                            Arg(0.5)), _roi_pooling, dtypes=_MAX_DTYPES, strided=True),
    Case('roi_max_pooling_2d', (Input((2, 3, 6, 7), **_WIDE), ArrayConstant(_BOXES, 'float64'),
                                _ROI_BATCH, Arg((3, 2)), Arg(0.5)), _roi_max_pooling,
         dtypes=_MAX_DTYPES, strided=True),
    Case('roi_average_pooling_2d', (Input((2, 3, 6, 7)), ArrayConstant(_BOXES, 'float64'),
                                    _ROI_BATCH, Arg(3), Arg(0.5)), _roi_average_pooling,
         strided=True),
    Case('roi_average_align_2d', (Input((2, 3, 6, 7)), ArrayConstant(_ALIGN_BOXES, 'float64'),
                                  _ROI_BATCH, Arg((2, 3)), Arg(0.5)), _roi_average_align,
         strided=True),
    Case('roi_average_align_2d', (Input((2, 3, 6, 7)), ArrayConstant(_ALIGN_BOXES, 'float64'),
                                  _ROI_BATCH, Arg(2), Arg(0.5)), _roi_average_align,
         name='roi_average_align_2d_sampling_ratio', kwargs={'sampling_ratio': (2, 3)}),
    Case('roi_max_align_2d', (Input((2, 3, 6, 7), **_WIDE),
                              ArrayConstant(_MAX_ALIGN_BOXES, 'float64'), _ROI_BATCH, Arg((2, 3)),
                              Arg(0.5)), _roi_max_align, dtypes=_MAX_DTYPES, strided=True),
    Case('roi_max_align_2d', (Input((2, 3, 6, 7), **_WIDE),
                              ArrayConstant(_MAX_ALIGN_BOXES, 'float64'), _ROI_BATCH, Arg(2),
                              Arg(0.5)), _roi_max_align, dtypes=_MAX_DTYPES,
         name='roi_max_align_2d_sampling_ratio', kwargs={'sampling_ratio': (2, 3)}),
)
