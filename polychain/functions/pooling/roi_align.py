"""ROI align (Mask R-CNN): bilinear samples on a regular grid in each bin, averaged or maxed."""

from __future__ import annotations

import math
import numbers
from typing import Any

from polychain.backend import to_host
from polychain.backend.registry import get_device_from_array
from polychain.functions.array.get_item import get_item
from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.array.where import where
from polychain.functions.pooling.roi_pooling import (
    check_outsize,
    check_roi_inputs,
    is_positive_int,
    raw_array,
    roi_weighted_sum,
)
from polychain.variable import Variable


def _check_sampling_ratio(function: str, sampling_ratio: Any) -> tuple[int | None, int | None]:
    pair = (sampling_ratio, sampling_ratio) if sampling_ratio is None or \
        isinstance(sampling_ratio, numbers.Integral) else tuple(sampling_ratio)
    if len(pair) != 2 or not all(s is None or is_positive_int(s) for s in pair):
        raise TypeError(f'{function}: expected an int >= 1, None or a pair of them '
                        f'as sampling_ratio, received {sampling_ratio!r}')
    return tuple(None if s is None else int(s) for s in pair)


class _Samples:
    """The bilinear samples of every bin of every ROI along one spatial axis.

    Each bin takes ``grid`` samples (or ``ceil(bin size)`` per ROI when
    ``None``) at the centres of a regular grid; a sample outside
    ``[-1, size]``, or beyond its ROI's grid, is invalid.

    Args:
        xp: Array namespace.
        start: Scaled first coordinate of each ROI, float64 ``(R,)``.
        end: Scaled last coordinate of each ROI, float64 ``(R,)``.
        n_bins: Number of bins.
        size: Size of the input along the axis.
        grid: Samples per bin, or ``None``.
    """

    def __init__(self, xp: Any, start: Any, end: Any, n_bins: int, size: int,
                 grid: int | None) -> None:
        device = get_device_from_array(start).native
        length = xp.maximum(end - start, xp.ones_like(start))
        bin_size = length / n_bins  # (R,)
        grids = xp.ceil(bin_size) if grid is None else xp.full(
            bin_size.shape, float(grid), dtype=xp.float64, device=device)
        # The most samples any ROI takes is a shape: without a fixed grid it is read on the host.
        most = grid if grid is not None else max(1, int(math.ceil(float(to_host(xp.max(grids))))))
        sample = xp.reshape(xp.arange(most, dtype=xp.float64, device=device), (1, 1, most))
        bins = xp.reshape(xp.arange(n_bins, dtype=xp.float64, device=device), (1, n_bins, 1))
        bin_size3 = xp.reshape(bin_size, (-1, 1, 1))
        grids3 = xp.reshape(grids, (-1, 1, 1))
        points = xp.reshape(start, (-1, 1, 1)) + bins * bin_size3 + \
            (sample + 0.5) * bin_size3 / grids3
        #: ``(R, n_bins, most)``: whether each sample counts.
        self.valid = (sample < grids3) & (points >= -1.0) & (points <= size)
        points = xp.maximum(points, xp.zeros_like(points))
        low = xp.floor(points)
        at_end = low >= size - 1
        low = xp.where(at_end, float(size - 1), low)
        points = xp.where(at_end, low, points)
        high = xp.where(at_end, low, low + 1)
        upper = points - low
        positions = xp.reshape(xp.arange(size, dtype=xp.float64, device=device), (1, 1, 1, size))
        weights = (xp.expand_dims(xp.where(self.valid, 1.0 - upper, 0.0), axis=3) *
                   xp.astype(positions == xp.expand_dims(low, axis=3), xp.float64) +
                   xp.expand_dims(xp.where(self.valid, upper, 0.0), axis=3) *
                   xp.astype(positions == xp.expand_dims(high, axis=3), xp.float64))
        #: ``(R, n_bins, most, size)``: the weight of each position in each sample.
        self.weights = weights
        #: ``(R,)``: the samples each bin of each ROI takes.
        self.grids = grids


def _samples(function: str, x: Any, rois: Any, roi_indices: Any, outsize: Any,
             spatial_scale: float, sampling_ratio: Any) -> tuple[Any, _Samples, _Samples]:
    """Checks the arguments and returns ``(roi_indices, rows, cols)``."""
    outsize = check_outsize(function, outsize)
    grid_h, grid_w = _check_sampling_ratio(function, sampling_ratio)
    rois, roi_indices = raw_array(rois), raw_array(roi_indices)
    check_roi_inputs(function, x, rois, 4, roi_indices)
    xp = get_device_from_array(rois).namespace
    y0, x0, y1, x1 = (xp.astype(rois[:, i], xp.float64) * spatial_scale for i in range(4))
    height, width = x.shape[2:]
    return (roi_indices, _Samples(xp, y0, y1, outsize[0], height, grid_h),
            _Samples(xp, x0, x1, outsize[1], width, grid_w))


def roi_average_align_2d(x: Any, rois: Any, roi_indices: Any, outsize: Any,
                         spatial_scale: float, sampling_ratio: Any = None) -> Variable:
    """Region of interest average align: the mean of bilinear samples in each bin.

    Each ROI ``(y_min, x_min, y_max, x_max)`` is scaled by ``spatial_scale``
    (not rounded) and divided into bins; each bin averages
    ``sampling_ratio`` samples per axis, taken at the centres of a regular
    grid and interpolated bilinearly (samples outside ``[-1, size]`` count as 0).

    Args:
        x: Input variable of shape ``(N, C, H, W)``.
        rois: Array of shape ``(R, 4)``: ``(y_min, x_min, y_max, x_max)``.
        roi_indices: Integer array of shape ``(R,)``: the batch index of each ROI.
        outsize: Output size ``(outh, outw)``; ``o`` means ``(o, o)``.
        spatial_scale: Factor from ROI coordinates to positions in ``x``.
        sampling_ratio: Samples per bin along each axis: an int, a pair, or
            ``None`` for ``ceil(bin size)`` per ROI (which reads the ROIs on the
            host to size the grid).

    Returns:
        A Variable of shape ``(R, C, outh, outw)``.
    """
    roi_indices, rows, cols = _samples('roi_average_align_2d', x, rois, roi_indices, outsize,
                                       spatial_scale, sampling_ratio)
    xp = get_device_from_array(rows.weights).namespace
    scale = xp.reshape(1.0 / (rows.grids * cols.grids), (-1, 1, 1))
    scale = xp.broadcast_to(scale, (scale.shape[0], rows.weights.shape[1],
                                    cols.weights.shape[1]))
    return roi_weighted_sum(x, roi_indices, xp.sum(rows.weights, axis=2),
                            xp.sum(cols.weights, axis=2), scale)


def roi_max_align_2d(x: Any, rois: Any, roi_indices: Any, outsize: Any,
                     spatial_scale: float, sampling_ratio: Any = None) -> Variable:
    """Region of interest max align: the largest bilinear sample in each bin.

    Bins and samples are those of :func:`roi_average_align_2d`; each bin
    takes the first largest of its valid samples, and is ``-inf`` when none
    of them lies inside ``[-1, size]`` along both axes.

    Args:
        x: Input variable of shape ``(N, C, H, W)``.
        rois: Array of shape ``(R, 4)``: ``(y_min, x_min, y_max, x_max)``.
        roi_indices: Integer array of shape ``(R,)``: the batch index of each ROI.
        outsize: Output size ``(outh, outw)``; ``o`` means ``(o, o)``.
        spatial_scale: Factor from ROI coordinates to positions in ``x``.
        sampling_ratio: Samples per bin along each axis: an int, a pair, or
            ``None`` for ``ceil(bin size)`` per ROI.

    Returns:
        A Variable of shape ``(R, C, outh, outw)``.
    """
    roi_indices, rows, cols = _samples('roi_max_align_2d', x, rois, roi_indices, outsize,
                                       spatial_scale, sampling_ratio)
    xp = get_device_from_array(rows.weights).namespace
    n_rois, out_h, grid_h, height = rows.weights.shape
    out_w, grid_w, width = cols.weights.shape[1:]
    n_channels = x.shape[1]
    samples = roi_weighted_sum(x, roi_indices,
                               xp.reshape(rows.weights, (n_rois, out_h * grid_h, height)),
                               xp.reshape(cols.weights, (n_rois, out_w * grid_w, width)))
    samples = transpose(reshape(samples, (n_rois, n_channels, out_h, grid_h, out_w, grid_w)),
                        (0, 1, 2, 4, 3, 5))
    samples = reshape(samples, (-1, grid_h * grid_w))
    valid = xp.expand_dims(xp.expand_dims(rows.valid, axis=2), axis=4) & \
        xp.expand_dims(xp.expand_dims(cols.valid, axis=1), axis=3)  # (R, oh, ow, gh, gw)
    valid = xp.reshape(xp.broadcast_to(
        xp.expand_dims(valid, axis=1), (n_rois, n_channels, out_h, out_w, grid_h, grid_w)),
        tuple(samples.shape))
    lowest = -float('inf')
    chosen = xp.argmax(xp.where(valid, samples.array, lowest), axis=1)
    first = xp.arange(samples.shape[0], dtype=chosen.dtype,
                      device=get_device_from_array(chosen).native) * samples.shape[1]
    y = get_item(reshape(samples, (-1,)), first + chosen)
    y = where(xp.any(valid, axis=1), y, xp.full(tuple(y.shape), lowest, dtype=y.dtype,
                                                 device=get_device_from_array(chosen).native))
    return reshape(y, (n_rois, n_channels, out_h, out_w))
