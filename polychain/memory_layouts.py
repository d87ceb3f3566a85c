"""Memory layouts of arrays (Chainer's ``chainer.memory_layouts``).

A layout names the order of an array's axes in memory relative to the order
functions read them in (batch, channel, spatial...). ``None`` is that standard
channel-first order (NCHW for data, OIHW for weights); the channel-last layouts
are cuDNN's, where the channel axis is stored last.
"""

from __future__ import annotations

from typing import Any

CUDNN_CHANNEL_FIRST_X = None
CUDNN_CHANNEL_LAST_X = 'CUDNN_CHANNEL_LAST_X'
CUDNN_CHANNEL_FIRST_W = None
CUDNN_CHANNEL_LAST_W = 'CUDNN_CHANNEL_LAST_W'

_CHANNEL_LAST = (CUDNN_CHANNEL_LAST_X, CUDNN_CHANNEL_LAST_W)
_LAYOUT_OF_OBJECT = object()


def get_raw_shape(arr_or_var: Any) -> tuple[int, ...]:
    """The shape of the array (or the Variable's array) as stored in memory."""
    array = getattr(arr_or_var, 'array', arr_or_var)
    return tuple(array.shape)


def get_semantic_shape(arr_or_var: Any, *, assumed_layout: Any = _LAYOUT_OF_OBJECT,
                       ) -> tuple[int, ...]:
    """The shape in the standard channel-first order.

    Args:
        arr_or_var: An array or a Variable.
        assumed_layout: The layout to read the raw shape with; by default the
            object's own ``layout`` (``None`` for a plain array).
    """
    layout = (getattr(arr_or_var, 'layout', None) if assumed_layout is _LAYOUT_OF_OBJECT
              else assumed_layout)
    shape = get_raw_shape(arr_or_var)
    if layout is None:
        return shape
    if layout not in _CHANNEL_LAST:
        raise ValueError(f'get_semantic_shape: unknown memory layout {layout!r}')
    if len(shape) < 2:
        raise ValueError(f'get_semantic_shape: a channel-last layout needs at least 2 axes, '
                         f'received shape {shape}')
    return (shape[0], shape[-1]) + shape[1:-1]
