"""ROI average align (Mask R-CNN): bilinear samples on a regular grid in each bin, averaged."""

from __future__ import annotations

import math
import numbers
from typing import Any

from polychain.backend import to_host
from polychain.backend.registry import get_device_from_array
from polychain.functions.pooling.roi_pooling import (
    check_outsize,
    check_roi_inputs,
    is_positive_int,
    raw_array,
    roi_weighted_sum,
)
from polychain.variable import Variable


def _check_sampling_ratio(sampling_ratio: Any) -> tuple[int | None, int | None]:
    pair = (sampling_ratio, sampling_ratio) if sampling_ratio is None or \
        isinstance(sampling_ratio, numbers.Integral) else tuple(sampling_ratio)
    if len(pair) != 2 or not all(s is None or is_positive_int(s) for s in pair):
        raise TypeError(f'roi_average_align_2d: expected an int >= 1, None or a pair of them '
                        f'as sampling_ratio, received {sampling_ratio!r}')
    return tuple(None if s is None else int(s) for s in pair)


def _sample_weights(xp: Any, start: Any, end: Any, n_bins: int, size: int,
                    grid: int | None) -> tuple[Any, Any]:
    """``(R, n_bins, size)`` summed bilinear weights of each bin's samples, and the grid sizes.

    ``grid`` samples per bin, or ``ceil(bin size)`` per ROI when ``None``.
    """
    device = get_device_from_array(start).native
    length = xp.maximum(end - start, xp.ones_like(start))
    bin_size = length / n_bins  # (R,)
    grids = xp.ceil(bin_size) if grid is None else xp.full(bin_size.shape, float(grid),
                                                            dtype=xp.float64, device=device)
    # The most samples any ROI takes is a shape: without a fixed grid it is read on the host.
    most = grid if grid is not None else max(1, int(math.ceil(float(to_host(xp.max(grids))))))
    sample = xp.reshape(xp.arange(most, dtype=xp.float64, device=device), (1, 1, most))
    bins = xp.reshape(xp.arange(n_bins, dtype=xp.float64, device=device), (1, n_bins, 1))
    bin_size3 = xp.reshape(bin_size, (-1, 1, 1))
    grids3 = xp.reshape(grids, (-1, 1, 1))
    points = xp.reshape(start, (-1, 1, 1)) + bins * bin_size3 + (sample + 0.5) * bin_size3 / grids3
    valid = (sample < grids3) & (points >= -1.0) & (points <= size)
    points = xp.maximum(points, xp.zeros_like(points))
    low = xp.floor(points)
    at_end = low >= size - 1
    low = xp.where(at_end, float(size - 1), low)
    points = xp.where(at_end, low, points)
    high = xp.where(at_end, low, low + 1)
    upper = points - low
    weight_high = xp.where(valid, upper, 0.0)
    weight_low = xp.where(valid, 1.0 - upper, 0.0)
    positions = xp.reshape(xp.arange(size, dtype=xp.float64, device=device), (1, 1, 1, size))
    weights = (xp.expand_dims(weight_low, axis=3) *
               xp.astype(positions == xp.expand_dims(low, axis=3), xp.float64) +
               xp.expand_dims(weight_high, axis=3) *
               xp.astype(positions == xp.expand_dims(high, axis=3), xp.float64))
    return xp.sum(weights, axis=2), grids


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
    outsize = check_outsize('roi_average_align_2d', outsize)
    grid_h, grid_w = _check_sampling_ratio(sampling_ratio)
    rois, roi_indices = raw_array(rois), raw_array(roi_indices)
    check_roi_inputs('roi_average_align_2d', x, rois, 4, roi_indices)
    xp = get_device_from_array(rois).namespace
    y0, x0, y1, x1 = (xp.astype(rois[:, i], xp.float64) * spatial_scale for i in range(4))
    height, width = x.shape[2:]
    row_weights, grids_h = _sample_weights(xp, y0, y1, outsize[0], height, grid_h)
    col_weights, grids_w = _sample_weights(xp, x0, x1, outsize[1], width, grid_w)
    scale = xp.reshape(1.0 / (grids_h * grids_w), (-1, 1, 1))
    scale = xp.broadcast_to(scale, (scale.shape[0],) + outsize)
    return roi_weighted_sum(x, roi_indices, row_weights, col_weights, scale)
