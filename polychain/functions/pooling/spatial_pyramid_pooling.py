"""Spatial pyramid pooling: max pooling at several grid sizes, flattened and concatenated."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.concat import concat
from polychain.functions.array.reshape import reshape
from polychain.functions.pooling._windows import check_spatial_input
from polychain.functions.pooling.max_pooling import max_pooling_2d
from polychain.variable import Variable


def spatial_pyramid_pooling_2d(x: Any, pyramid_height: int, pooling: str | None = None
                               ) -> Variable:
    """Spatial pyramid pooling: a fixed-length vector whatever the input's height and width.

    Level ``i`` max-pools with the window ``ceil(b / 2**i)`` and padding
    ``(2**i * k - b) // 2`` per spatial axis of size ``b``; the levels are
    flattened and concatenated along the channels.

    Args:
        x: Input variable of shape ``(N, C, H, W)``.
        pyramid_height: Number of pyramid levels.
        pooling: ``'max'`` (the only pooling supported).

    Returns:
        A Variable of shape ``(N, C * sum(4**i for i < pyramid_height), 1, 1)``.
    """
    if pooling != 'max':
        raise ValueError(f"spatial_pyramid_pooling_2d: expected pooling='max', received "
                         f'{pooling!r}')
    if isinstance(pyramid_height, bool) or not isinstance(pyramid_height, int) or \
            pyramid_height < 1:
        raise ValueError(f'spatial_pyramid_pooling_2d: expected a positive int as '
                         f'pyramid_height, received {pyramid_height!r}')
    check_spatial_input('spatial_pyramid_pooling_2d', x, 2)
    n = x.shape[0]
    levels = []
    for level in range(pyramid_height):
        bins = 2 ** level
        ksize = tuple(-(-size // bins) for size in x.shape[2:])
        pad = tuple((k * bins - size) // 2 for k, size in zip(ksize, x.shape[2:]))
        y = max_pooling_2d(x, ksize, stride=ksize, pad=pad, cover_all=True)
        levels.append(reshape(y, (n, -1, 1, 1)))
    return concat(levels, axis=1)
