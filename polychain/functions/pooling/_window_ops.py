"""The linear window operations pooling is built from, each the other's adjoint.

:class:`WindowSum` (sum or mean over each window) and :class:`WindowSpread`
(each value added to every element of its window) are adjoint; so are
:class:`GatherAtIndexes` (one element of each window) and
:class:`ScatterAtIndexes` (a value placed at one element of its window). Each
backward applies the adjoint, so derivatives of any order follow.
"""

from __future__ import annotations

from typing import Any

from polychain.backend import kernels
from polychain.function_node import FunctionNode
from polychain.functions.pooling._windows import patches
from polychain.utils.windows import WindowGeometry, padded, spread_patches

#: How :class:`WindowSum` scales each window's sum.
SUM, MEAN, MEAN_OF_INPUT = 'sum', 'mean', 'mean_of_input'


def _window_scale(device: Any, geometry: WindowGeometry, scaling: str, like: Any) -> Any:
    """The factor of each window: 1, ``1 / K`` or ``1 / (elements inside the input)``."""
    if scaling == SUM:
        return None
    if scaling == MEAN:
        return 1.0 / geometry.window_size
    xp = device.namespace
    ndim = len(geometry.ksize)
    scale = None
    for axis, (n, k, s, (before, _), o) in enumerate(zip(
            geometry.in_size, geometry.ksize, geometry.stride, geometry.padding,
            geometry.out_size)):
        counts = [min(i * s - before + k, n) - max(i * s - before, 0) for i in range(o)]
        shape = (1, 1) + tuple(o if a == axis else 1 for a in range(ndim))
        factor = xp.reshape(xp.asarray([1.0 / c for c in counts], dtype=like.dtype,
                                       device=device.native), shape)
        scale = factor if scale is None else scale * factor
    return scale


class WindowSum(FunctionNode):
    """Sums each window (zero padding), optionally scaled into a mean."""

    def __init__(self, geometry: WindowGeometry, scaling: str = SUM) -> None:
        self.geometry = geometry
        self.scaling = scaling

    def forward(self, inputs):
        x, = inputs
        geometry = self.geometry
        kernel = self.device.kernel(kernels.window_sum_nd)
        if kernel is not None:
            y = kernel(padded(self.device, x, geometry), geometry.ksize, geometry.stride)
        else:
            y = self.xp.sum(patches(self.device, x, geometry), axis=2)
        scale = _window_scale(self.device, geometry, self.scaling, x)
        return (y if scale is None else y * scale),

    def backward(self, indexes, grad_outputs):
        return WindowSpread(self.geometry, self.scaling).apply(grad_outputs)


class WindowSpread(FunctionNode):
    """Adds each (scaled) value to every element of its window: the adjoint of WindowSum."""

    def __init__(self, geometry: WindowGeometry, scaling: str = SUM) -> None:
        self.geometry = geometry
        self.scaling = scaling

    def forward(self, inputs):
        y, = inputs
        xp = self.xp
        scale = _window_scale(self.device, self.geometry, self.scaling, y)
        if scale is not None:
            y = y * scale
        n, c = y.shape[:2]
        k = self.geometry.window_size
        cols = xp.broadcast_to(xp.expand_dims(y, axis=2), (n, c, k) + tuple(y.shape[2:]))
        return spread_patches(self.device, cols, self.geometry),

    def backward(self, indexes, grad_outputs):
        return WindowSum(self.geometry, self.scaling).apply(grad_outputs)


def _one_hot(device: Any, geometry: WindowGeometry, indexes: Any, dtype: Any) -> Any:
    """``(N, C, K, *out)``: 1 at the window element each of ``indexes`` names."""
    xp = device.namespace
    offsets = xp.arange(geometry.window_size, device=device.native)
    offsets = xp.reshape(offsets, (1, 1, -1) + (1,) * len(geometry.ksize))
    return xp.astype(offsets == xp.expand_dims(indexes, axis=2), dtype)


class GatherAtIndexes(FunctionNode):
    """Takes from each window the element ``indexes`` names (offsets in the flat window)."""

    def __init__(self, geometry: WindowGeometry, indexes: Any) -> None:
        self.geometry = geometry
        self.indexes = indexes

    def forward(self, inputs):
        x, = inputs
        cols = patches(self.device, x, self.geometry)
        return self.xp.sum(_one_hot(self.device, self.geometry, self.indexes, x.dtype) * cols,
                           axis=2),

    def backward(self, indexes, grad_outputs):
        return ScatterAtIndexes(self.geometry, self.indexes).apply(grad_outputs)


class ScatterAtIndexes(FunctionNode):
    """Places each value at the window element ``indexes`` names (overlaps add up)."""

    def __init__(self, geometry: WindowGeometry, indexes: Any) -> None:
        self.geometry = geometry
        self.indexes = indexes

    def forward(self, inputs):
        y, = inputs
        xp = self.xp
        cols = _one_hot(self.device, self.geometry, self.indexes, y.dtype) * \
            xp.expand_dims(y, axis=2)
        return spread_patches(self.device, cols, self.geometry),

    def backward(self, indexes, grad_outputs):
        return GatherAtIndexes(self.geometry, self.indexes).apply(grad_outputs)
