"""resize_images: bilinear or nearest-neighbour resampling of (N, C, H, W) images."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.backend import get_device_from_array
from polychain.functions.array.get_item import get_item
from polychain.variable import Variable

_MODES = ('bilinear', 'nearest')


def _source_positions(in_size: int, out_size: int, align_corners: bool) -> numpy.ndarray:
    """Where each output pixel samples the input, in input pixel coordinates."""
    if align_corners:
        return numpy.linspace(0.0, in_size - 1, out_size)
    scale = in_size / out_size
    return numpy.maximum((numpy.arange(out_size) + 0.5) * scale - 0.5, 0.0)


def _along(x: Any, axis: int, out_size: int, mode: str, align_corners: bool) -> Any:
    """``x`` resampled along one axis."""
    in_size = x.shape[axis]
    lead = (slice(None),) * axis
    if mode == 'nearest':
        if align_corners:
            source = numpy.round(numpy.linspace(0.0, in_size - 1, out_size))
        else:
            source = numpy.floor(numpy.arange(out_size) * (in_size / out_size))
        indices = numpy.minimum(source, in_size - 1).astype(numpy.int64)
        return get_item(x, lead + (indices,))
    position = _source_positions(in_size, out_size, align_corners)
    low = numpy.minimum(numpy.floor(position), in_size - 1).astype(numpy.int64)
    high = numpy.minimum(low + 1, in_size - 1)
    weight = (position - low).reshape((out_size,) + (1,) * (x.ndim - axis - 1))
    device = x.device if isinstance(x, Variable) else get_device_from_array(x)
    weight = device.namespace.astype(device.send(weight), x.dtype)
    below = get_item(x, lead + (low,))
    return below + (get_item(x, lead + (high,)) - below) * weight


def resize_images(x: Any, output_shape: Any, *, mode: str = 'bilinear',
                  align_corners: bool = True) -> Variable:
    """Resizes images to ``output_shape``.

    With ``align_corners=True`` the corner pixels of input and output
    coincide (output pixel ``i`` samples ``i * (H - 1) / (out_H - 1)``); with
    ``False`` pixel centres are scaled as OpenCV does
    (``(i + 0.5) * H / out_H - 0.5``, clipped at 0).

    Args:
        x: Input variable or array of shape ``(N, C, H, W)``.
        output_shape: ``(out_H, out_W)``.
        mode: ``'bilinear'`` or ``'nearest'``.
        align_corners: How output pixels map onto the input (see above).

    Returns:
        A Variable of shape ``(N, C, out_H, out_W)``.
    """
    if mode not in _MODES:
        raise ValueError(f'resize_images: expected mode among {_MODES}, received {mode!r}')
    if x.ndim != 4:
        raise ValueError(f'resize_images: expected an input of shape (N, C, H, W), received '
                         f'shape {tuple(x.shape)}')
    out_h, out_w = (int(n) for n in output_shape)
    if out_h < 1 or out_w < 1:
        raise ValueError(f'resize_images: expected a positive output_shape, received '
                         f'{tuple(output_shape)}')
    y = _along(x, 2, out_h, mode, align_corners)
    return _along(y, 3, out_w, mode, align_corners)
