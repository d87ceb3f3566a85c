"""Average pooling over 1, 2, 3 or N spatial axes."""

from __future__ import annotations

from typing import Any

from polychain.functions.pooling._window_ops import MEAN, MEAN_OF_INPUT, WindowSum
from polychain.functions.pooling._windows import check_spatial_input, window_geometry
from polychain.variable import Variable


def _average_pooling(function: str, ndim: int | None, x: Any, ksize: Any, stride: Any,
                     pad: Any, pad_value: Any) -> Variable:
    if pad_value is None:
        scaling = MEAN_OF_INPUT
    elif isinstance(pad_value, (int, float)) and not isinstance(pad_value, bool) and \
            pad_value == 0:
        scaling = MEAN
    else:
        raise ValueError(f'{function}: expected pad_value to be 0 or None, received '
                         f'{pad_value!r}')
    spatial = check_spatial_input(function, x, ndim)
    geometry = window_geometry(function, tuple(x.shape[-spatial:]), ksize, stride, pad, False)
    return WindowSum(geometry, scaling).apply((x,))[0]


def average_pooling_nd(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                       pad_value: Any = 0) -> Variable:
    """N-dimensionally spatial average pooling.

    Args:
        x: Input variable of shape ``(N, C, d_1, ..., d_n)``.
        ksize: Size of the window: an int or ``n`` ints.
        stride: Stride of the windows: an int or ``n`` ints; ``None`` uses ``ksize``.
        pad: Padding on both sides of each spatial axis: an int or ``n`` ints.
        pad_value: ``0`` averages over the whole window, padded zeros included;
            ``None`` averages over the elements inside the input only.

    Returns:
        The output Variable of shape ``(N, C, o_1, ..., o_n)``.
    """
    return _average_pooling('average_pooling_nd', None, x, ksize, stride, pad, pad_value)


def average_pooling_1d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                       pad_value: Any = 0) -> Variable:
    """1-dimensional spatial average pooling on ``(N, C, L)``; see :func:`average_pooling_nd`.

    Args:
        x: Input variable of shape ``(N, C, L)``.
        ksize: Size of the window.
        stride: Stride of the windows; ``None`` uses ``ksize``.
        pad: Padding on both sides.
        pad_value: ``0`` counts padded zeros in the average, ``None`` leaves them out.
    """
    return _average_pooling('average_pooling_1d', 1, x, ksize, stride, pad, pad_value)


def average_pooling_2d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0) -> Variable:
    """Spatial average pooling on ``(N, C, H, W)``; padded zeros count in the average.

    Args:
        x: Input variable of shape ``(N, C, H, W)``.
        ksize: Size of the window: ``k`` or ``(kh, kw)``.
        stride: Stride: ``s`` or ``(sy, sx)``; ``None`` uses ``ksize``.
        pad: Zero padding: ``p`` or ``(ph, pw)``.
    """
    return _average_pooling('average_pooling_2d', 2, x, ksize, stride, pad, 0)


def average_pooling_3d(x: Any, ksize: Any, stride: Any = None, pad: Any = 0,
                       pad_value: Any = 0) -> Variable:
    """3-dimensionally spatial average pooling on ``(N, C, D, H, W)``.

    See :func:`average_pooling_nd`.

    Args:
        x: Input variable of shape ``(N, C, D, H, W)``.
        ksize: Size of the window: an int or 3 ints.
        stride: Stride: an int or 3 ints; ``None`` uses ``ksize``.
        pad: Padding: an int or 3 ints.
        pad_value: ``0`` counts padded zeros in the average, ``None`` leaves them out.
    """
    return _average_pooling('average_pooling_3d', 3, x, ksize, stride, pad, pad_value)
