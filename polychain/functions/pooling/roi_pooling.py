"""Region of interest (ROI) max and average pooling into a fixed grid of bins.

The bins of each ROI are computed on the device from the ROI coordinates
(rounded after scaling, as Chainer does); pooling then reads ``x`` through
polychain functions (an index gather, masked matrix products), so that
gradients of any order follow. Empty bins give 0 and no gradient.
"""

from __future__ import annotations

import numbers
from typing import Any

from polychain.backend.registry import get_device_from_array
from polychain.functions.array.get_item import get_item
from polychain.functions.array.reshape import reshape
from polychain.functions.array.where import where
from polychain.functions.math.matmul import matmul
from polychain.variable import Variable


def raw_array(value: Any) -> Any:
    return value.array if isinstance(value, Variable) else value


def is_positive_int(value: Any) -> bool:
    """Whether ``value`` is an integer >= 1 (a Python or NumPy integer, not a bool)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 1


def check_outsize(function: str, outsize: Any) -> tuple[int, int]:
    pair = (outsize, outsize) if isinstance(outsize, numbers.Integral) else tuple(outsize)
    if len(pair) != 2 or not all(is_positive_int(v) for v in pair):
        raise TypeError(f'{function}: expected a positive int or a pair of positive ints as '
                        f'outsize, received {outsize!r}')
    return int(pair[0]), int(pair[1])


def check_roi_inputs(function: str, x: Any, rois: Any, roi_width: int,
                  roi_indices: Any = None) -> None:
    if x.ndim != 4:
        raise ValueError(f'{function}: expected an input x of shape (N, C, H, W), received '
                         f'shape {tuple(x.shape)}')
    if rois.ndim != 2 or rois.shape[1] != roi_width:
        raise ValueError(f'{function}: expected rois of shape (R, {roi_width}), received shape '
                         f'{tuple(rois.shape)}')
    if roi_indices is not None and tuple(roi_indices.shape) != (rois.shape[0],):
        raise ValueError(f'{function}: expected roi_indices of shape ({rois.shape[0]},), one '
                         f'per ROI, received shape {tuple(roi_indices.shape)}')


class _Bins:
    """The bins of every ROI along one spatial axis, as masks over that axis.

    Args:
        xp: Array namespace.
        start: Scaled, rounded first coordinate of each ROI, float64 ``(R,)``.
        end: Scaled, rounded last coordinate of each ROI, float64 ``(R,)``.
        extent: Added to ``end - start`` to get the ROI's length (1 when ``end`` is inside).
        n_bins: Number of bins.
        size: Size of the input along the axis.
    """

    def __init__(self, xp: Any, start: Any, end: Any, extent: int, n_bins: int,
                 size: int) -> None:
        device = get_device_from_array(start).native
        length = xp.maximum(end - start + extent, xp.ones_like(start))
        bin_size = xp.expand_dims(length / n_bins, axis=1)
        bins = xp.expand_dims(xp.arange(n_bins, dtype=xp.float64, device=device), axis=0)
        origin = xp.expand_dims(start, axis=1)
        first = xp.clip(xp.floor(bins * bin_size) + origin, 0, size)
        stop = xp.clip(xp.ceil((bins + 1) * bin_size) + origin, 0, size)
        positions = xp.reshape(xp.arange(size, dtype=xp.float64, device=device), (1, 1, size))
        #: ``(R, n_bins, size)``: whether each position is inside each bin.
        self.mask = (positions >= xp.expand_dims(first, axis=2)) & \
            (positions < xp.expand_dims(stop, axis=2))
        #: ``(R, n_bins)``: the number of positions of each bin.
        self.count = stop - first


def _scaled(xp: Any, coordinate: Any, spatial_scale: float) -> Any:
    return xp.round(xp.astype(coordinate, xp.float64) * spatial_scale)


def _bins(x: Any, rois: Any, order: tuple[int, int, int, int], extent: int,
          outsize: tuple[int, int], spatial_scale: float) -> tuple[_Bins, _Bins]:
    """Bins along H and W; ``order`` gives the columns of (y_min, x_min, y_max, x_max)."""
    xp = get_device_from_array(rois).namespace
    y0, x0, y1, x1 = (_scaled(xp, rois[:, i], spatial_scale) for i in order)
    height, width = x.shape[2:]
    return (_Bins(xp, y0, y1, extent, outsize[0], height),
            _Bins(xp, x0, x1, extent, outsize[1], width))


def _argmax_indexes(xp: Any, x: Any, roi_indices: Any, rows: _Bins, cols: _Bins) -> Any:
    """Flat indexes into ``x`` of the first maximum (row-major) of every bin, (R, C, oh, ow)."""
    n, c, height, width = x.shape
    device = get_device_from_array(x).native
    xr = xp.take(x, roi_indices, axis=0)  # (R, C, H, W)
    lowest = -float('inf')
    in_cols = xp.reshape(cols.mask, (cols.mask.shape[0], 1, 1) + tuple(cols.mask.shape[1:]))
    by_cols = xp.where(in_cols, xp.expand_dims(xr, axis=3), lowest)  # (R, C, H, ow, W)
    col_max, col_arg = xp.max(by_cols, axis=-1), xp.argmax(by_cols, axis=-1)
    in_rows = xp.expand_dims(xp.expand_dims(rows.mask, axis=1), axis=-1)  # (R, 1, oh, H, 1)
    by_rows = xp.where(in_rows, xp.expand_dims(col_max, axis=2), lowest)  # (R, C, oh, H, ow)
    row_arg = xp.argmax(by_rows, axis=3)  # (R, C, oh, ow)
    positions = xp.reshape(xp.arange(height, device=device), (1, 1, 1, height, 1))
    chosen = xp.astype(positions == xp.expand_dims(row_arg, axis=3), col_arg.dtype)
    col_at = xp.sum(chosen * xp.expand_dims(col_arg, axis=2), axis=3)
    channels = xp.reshape(xp.arange(c, device=device), (1, c, 1, 1))
    batch = xp.reshape(xp.astype(roi_indices, col_arg.dtype), (-1, 1, 1, 1))
    return ((batch * c + channels) * height + row_arg) * width + col_at


def _nonempty(xp: Any, rows: _Bins, cols: _Bins) -> Any:
    """``(R, 1, oh, ow)``: whether each bin holds at least one position."""
    return xp.expand_dims(xp.expand_dims(rows.count > 0, axis=2) &
                          xp.expand_dims(cols.count > 0, axis=1), axis=1)


def _roi_max(x: Any, roi_indices: Any, rows: _Bins, cols: _Bins) -> Variable:
    raw_x = raw_array(x)
    xp = get_device_from_array(raw_x).namespace
    indexes = _argmax_indexes(xp, raw_x, roi_indices, rows, cols)
    y = reshape(get_item(reshape(x, (-1,)), xp.reshape(indexes, (-1,))), tuple(indexes.shape))
    nonempty = xp.broadcast_to(_nonempty(xp, rows, cols), tuple(indexes.shape))
    return where(nonempty, y, xp.zeros(tuple(indexes.shape), dtype=raw_x.dtype,
                                       device=get_device_from_array(raw_x).native))


def roi_weighted_sum(x: Any, roi_indices: Any, row_weights: Any, col_weights: Any,
                     scale: Any = None) -> Variable:
    """``scale * row_weights @ x[roi_indices] @ col_weights^T`` per ROI, ``(R, C, oh, ow)``.

    Args:
        x: Input variable of shape ``(N, C, H, W)``.
        roi_indices: Batch index of each ROI, ``(R,)``.
        row_weights: ``(R, oh, H)`` weights of the rows of each output row.
        col_weights: ``(R, ow, W)`` weights of the columns of each output column.
        scale: ``(R, oh, ow)`` factor of each output, or ``None`` for 1.
    """
    raw_x = raw_array(x)
    xp = get_device_from_array(raw_x).namespace
    rows = xp.expand_dims(xp.astype(row_weights, raw_x.dtype), axis=1)
    cols = xp.expand_dims(xp.astype(col_weights, raw_x.dtype), axis=1)
    sums = matmul(matmul(rows, get_item(x, roi_indices)), cols, transb=True)
    if scale is None:
        return sums
    return sums * xp.expand_dims(xp.astype(scale, raw_x.dtype), axis=1)


def _roi_average(x: Any, roi_indices: Any, rows: _Bins, cols: _Bins) -> Variable:
    xp = get_device_from_array(rows.count).namespace
    count = xp.expand_dims(rows.count, axis=2) * xp.expand_dims(cols.count, axis=1)
    inverse = xp.where(count > 0, 1.0 / xp.maximum(count, xp.ones_like(count)), 0.0)
    return roi_weighted_sum(x, roi_indices, rows.mask, cols.mask, inverse)


def _yxyx_bins(function: str, x: Any, rois: Any, roi_indices: Any, outsize: Any,
               spatial_scale: float) -> tuple[Any, Any, Any]:
    """Checks ROIs ``(y_min, x_min, y_max, x_max)`` and returns ``(roi_indices, rows, cols)``."""
    outsize = check_outsize(function, outsize)
    rois, roi_indices = raw_array(rois), raw_array(roi_indices)
    check_roi_inputs(function, x, rois, 4, roi_indices)
    rows, cols = _bins(x, rois, (0, 1, 2, 3), 0, outsize, spatial_scale)
    return roi_indices, rows, cols


def roi_pooling_2d(x: Any, rois: Any, outh: int, outw: int, spatial_scale: float) -> Variable:
    """Region of interest max pooling (Fast R-CNN), ROIs given with their batch index.

    Each ROI ``(batch_index, x_min, y_min, x_max, y_max)`` (ends included) is
    scaled by ``spatial_scale``, rounded and divided into ``outh x outw`` bins;
    each bin gives the maximum of its elements (0 for an empty bin).

    Args:
        x: Input variable of shape ``(N, C, H, W)``.
        rois: Array of shape ``(R, 5)``: ``(batch_index, x_min, y_min, x_max, y_max)``.
        outh: Height of the output.
        outw: Width of the output.
        spatial_scale: Factor from ROI coordinates to positions in ``x``.

    Returns:
        A Variable of shape ``(R, C, outh, outw)``.
    """
    outsize = check_outsize('roi_pooling_2d', (outh, outw))
    rois = raw_array(rois)
    check_roi_inputs('roi_pooling_2d', x, rois, 5)
    xp = get_device_from_array(rois).namespace
    roi_indices = xp.astype(rois[:, 0], xp.int64)
    rows, cols = _bins(x, rois, (2, 1, 4, 3), 1, outsize, spatial_scale)
    return _roi_max(x, roi_indices, rows, cols)


def roi_max_pooling_2d(x: Any, rois: Any, roi_indices: Any, outsize: Any,
                       spatial_scale: float) -> Variable:
    """Region of interest max pooling with ROIs ``(y_min, x_min, y_max, x_max)``.

    Args:
        x: Input variable of shape ``(N, C, H, W)``.
        rois: Array of shape ``(R, 4)``: ``(y_min, x_min, y_max, x_max)``.
        roi_indices: Integer array of shape ``(R,)``: the batch index of each ROI.
        outsize: Output size ``(outh, outw)``; ``o`` means ``(o, o)``.
        spatial_scale: Factor from ROI coordinates to positions in ``x``.

    Returns:
        A Variable of shape ``(R, C, outh, outw)``; empty bins are 0.
    """
    roi_indices, rows, cols = _yxyx_bins('roi_max_pooling_2d', x, rois, roi_indices, outsize,
                                         spatial_scale)
    return _roi_max(x, roi_indices, rows, cols)


def roi_average_pooling_2d(x: Any, rois: Any, roi_indices: Any, outsize: Any,
                           spatial_scale: float) -> Variable:
    """Region of interest average pooling with ROIs ``(y_min, x_min, y_max, x_max)``.

    Args:
        x: Input variable of shape ``(N, C, H, W)``.
        rois: Array of shape ``(R, 4)``: ``(y_min, x_min, y_max, x_max)``.
        roi_indices: Integer array of shape ``(R,)``: the batch index of each ROI.
        outsize: Output size ``(outh, outw)``; ``o`` means ``(o, o)``.
        spatial_scale: Factor from ROI coordinates to positions in ``x``.

    Returns:
        A Variable of shape ``(R, C, outh, outw)``; empty bins are 0.
    """
    roi_indices, rows, cols = _yxyx_bins('roi_average_pooling_2d', x, rois, roi_indices, outsize,
                                         spatial_scale)
    return _roi_average(x, roi_indices, rows, cols)
