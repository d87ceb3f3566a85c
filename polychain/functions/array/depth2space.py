"""depth2space and space2depth: rearrangements of (N, C, H, W) blocks."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.variable import Variable


def _image_shape(x: Any, function: str, r: int) -> tuple[int, int, int, int]:
    if isinstance(r, bool) or not isinstance(r, int) or r < 1:
        raise ValueError(f'{function}: expected a positive integer as r, received {r!r}')
    if x.ndim != 4:
        raise ValueError(f'{function}: expected an input of shape (N, C, H, W), received shape '
                         f'{tuple(x.shape)}')
    return tuple(x.shape)


def depth2space(X: Any, r: int) -> Variable:  # noqa: N803
    """Moves channel blocks into space: ``(N, C * r * r, H, W)`` to ``(N, C, H * r, W * r)``.

    ``y[n, c, h * r + i, w * r + j] = X[n, (i * r + j) * C + c, h, w]``.

    Args:
        X: Input variable or array of shape ``(N, C * r * r, H, W)``.
        r: The upscaling factor.
    """
    n, channels, h, w = _image_shape(X, 'depth2space', r)
    if channels % (r * r):
        raise ValueError(f'depth2space: expected a number of channels divisible by r * r = '
                         f'{r * r}, received shape {tuple(X.shape)}')
    c = channels // (r * r)
    y = transpose(reshape(X, (n, r, r, c, h, w)), (0, 3, 4, 1, 5, 2))
    return reshape(y, (n, c, h * r, w * r))


def space2depth(X: Any, r: int) -> Variable:  # noqa: N803
    """Moves space blocks into channels: ``(N, C, H * r, W * r)`` to ``(N, C * r * r, H, W)``.

    The inverse of :func:`depth2space`.

    Args:
        X: Input variable or array of shape ``(N, C, H * r, W * r)``.
        r: The downscaling factor.
    """
    n, c, height, width = _image_shape(X, 'space2depth', r)
    if height % r or width % r:
        raise ValueError(f'space2depth: expected height and width divisible by r = {r}, '
                         f'received shape {tuple(X.shape)}')
    h, w = height // r, width // r
    y = transpose(reshape(X, (n, c, h, r, w, r)), (0, 3, 5, 1, 2, 4))
    return reshape(y, (n, r * r * c, h, w))
