"""Max pooling over 1, 2, 3 or N spatial axes."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.pooling._window_ops import ScatterAtIndexes
from polychain.functions.pooling._windows import check_spatial_input, patches, window_geometry
from polychain.utils.windows import WindowGeometry


class MaxPoolingND(FunctionNode):
    """The maximum of each window; ``indexes`` keeps where it was (the flat window offset)."""

    def __init__(self, geometry: WindowGeometry) -> None:
        self.geometry = geometry
        self.indexes: Any = None

    def forward(self, inputs):
        x, = inputs
        cols = patches(self.device, x, self.geometry, -float('inf'))
        self.indexes = self.xp.argmax(cols, axis=2)
        return self.xp.max(cols, axis=2),

    def backward(self, indexes, grad_outputs):
        return ScatterAtIndexes(self.geometry, self.indexes).apply(grad_outputs)


def _max_pooling(function: str, ndim: int | None, x: Any, ksize: Any, stride: Any, pad: Any,
                 cover_all: bool, return_indices: bool) -> Any:
    spatial = check_spatial_input(function, x, ndim)
    geometry = window_geometry(function, tuple(x.shape[-spatial:]), ksize, stride, pad,
                               cover_all)
    node = MaxPoolingND(geometry)
    y = node.apply((x,))[0]
    return (y, node.indexes) if return_indices else y


def max_pooling_nd(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                   cover_all: bool = True, return_indices: bool = False) -> Any:
    """N-dimensionally spatial max pooling.

    Padding counts as ``-inf``: it is never the maximum of a window that
    reaches into the input.

    Args:
        x: Input variable of shape ``(N, C, d_1, ..., d_n)``.
        ksize: Size of the window: an int or ``n`` ints.
        stride: Stride of the windows: an int or ``n`` ints; ``None`` uses ``ksize``.
        pad: Padding on both sides of each spatial axis: an int or ``n`` ints.
        cover_all: If ``True``, every input element is pooled into some output
            (the output may grow by one along an axis).
        return_indices: If ``True``, also return the offsets of the maxima inside
            their flattened windows (an integer array, for :func:`upsampling_2d`).

    Returns:
        The output Variable, or ``(output, indexes)`` when ``return_indices`` is ``True``.
    """
    return _max_pooling('max_pooling_nd', None, x, ksize, stride, pad, cover_all,
                        return_indices)


def max_pooling_1d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                   cover_all: bool = True, return_indices: bool = False) -> Any:
    """1-dimensional spatial max pooling on ``(N, C, L)``; see :func:`max_pooling_nd`.

    Args:
        x: Input variable of shape ``(N, C, L)``.
        ksize: Size of the window.
        stride: Stride of the windows; ``None`` uses ``ksize``.
        pad: Padding on both sides.
        cover_all: If ``True``, every input element is pooled into some output.
        return_indices: If ``True``, also return the offsets of the maxima.
    """
    return _max_pooling('max_pooling_1d', 1, x, ksize, stride, pad, cover_all, return_indices)


def max_pooling_2d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                   cover_all: bool = True, return_indices: bool = False) -> Any:
    """Spatial max pooling on ``(N, C, H, W)``; see :func:`max_pooling_nd`.

    Args:
        x: Input variable of shape ``(N, C, H, W)``.
        ksize: Size of the window: ``k`` or ``(kh, kw)``.
        stride: Stride: ``s`` or ``(sy, sx)``; ``None`` uses ``ksize``.
        pad: Padding: ``p`` or ``(ph, pw)``.
        cover_all: If ``True``, every input pixel is pooled into some output pixel.
        return_indices: If ``True``, also return the offsets of the maxima inside
            their flattened windows, for :func:`upsampling_2d`.
    """
    return _max_pooling('max_pooling_2d', 2, x, ksize, stride, pad, cover_all, return_indices)


def max_pooling_3d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                   cover_all: bool = True, return_indices: bool = False) -> Any:
    """3-dimensionally spatial max pooling on ``(N, C, D, H, W)``; see :func:`max_pooling_nd`.

    Args:
        x: Input variable of shape ``(N, C, D, H, W)``.
        ksize: Size of the window: an int or 3 ints.
        stride: Stride: an int or 3 ints; ``None`` uses ``ksize``.
        pad: Padding: an int or 3 ints.
        cover_all: If ``True``, every input element is pooled into some output.
        return_indices: If ``True``, also return the offsets of the maxima.
    """
    return _max_pooling('max_pooling_3d', 3, x, ksize, stride, pad, cover_all, return_indices)

