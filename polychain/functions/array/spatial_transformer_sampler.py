"""spatial_transformer_sampler: bilinear sampling of images at given points, zero outside."""

from __future__ import annotations

from typing import Any

from polychain.backend.registry import get_device_from_array, get_namespace
from polychain.functions.array.get_item import get_item
from polychain.functions.array.pad import pad as pad_array
from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.math.clip import clip
from polychain.utils.argument import check_unexpected_kwargs
from polychain.utils.type_check import InvalidType, expect_float, get_light_types
from polychain.variable import Variable

_NO_CUDNN = ('use_cudnn argument is not supported anymore. Use '
             'chainer.using_config(\'use_cudnn\', value) context where value can be '
             '`always`, `never`, or `auto`.')


def sample_bilinear(x: Any, u: Any, v: Any, pad: tuple[int, int] = (0, 0)) -> Variable:
    """Bilinear samples of ``x`` at pixel coordinates, with zeros around the image.

    ``x`` is first padded with ``pad = (ph, pw)`` zeros on each side; ``u``
    and ``v`` are positions along the width and the height of that padded
    image (0 is its first pixel). Points within one pixel outside it
    interpolate with zeros; points further out are clamped to that zero
    border, so that they give 0 and no gradient.

    Args:
        x: Variable or array of shape ``(n, c, h, w)``.
        u: Variable or array of shape ``(n, p)``: the horizontal positions.
        v: Variable or array of shape ``(n, p)``: the vertical positions.
        pad: Zero padding ``(ph, pw)`` the positions count.

    Returns:
        A Variable of shape ``(n, c, p)``.
    """
    n, c, h, w = x.shape
    height, width = h + 2 * pad[0] + 2, w + 2 * pad[1] + 2  # with the zero border
    padded = pad_array(x, ((0, 0), (0, 0), (pad[0] + 1,) * 2, (pad[1] + 1,) * 2), 'constant')
    pixels = reshape(transpose(padded, (0, 2, 3, 1)), (n * height * width, c))
    u = clip(u + 1.0, 0.0, width - 1.0)
    v = clip(v + 1.0, 0.0, height - 1.0)
    xp = get_device_from_array(u.array).namespace
    left = xp.clip(xp.floor(u.array), 0.0, width - 2.0)
    top = xp.clip(xp.floor(v.array), 0.0, height - 2.0)
    first = xp.reshape(xp.arange(n, dtype=xp.int64, device=get_device_from_array(u.array).native),
                       (n, 1)) * (height * width)
    flat_top = first + xp.astype(top, xp.int64) * width
    flat_left = xp.astype(left, xp.int64)
    weights_u = (-(u - (left + 1.0)), u - left)  # the Variable first: strict arrays
    weights_v = (-(v - (top + 1.0)), v - top)    # do not defer to it
    y = None
    for dy, weight_v in enumerate(weights_v):
        for dx, weight_u in enumerate(weights_u):
            index = flat_top + dy * width + flat_left + dx
            corner = reshape(get_item(pixels, xp.reshape(index, (-1,))), (n, -1, c))
            term = reshape(weight_v * weight_u, (n, -1, 1)) * corner
            y = term if y is None else y + term
    return transpose(y, (0, 2, 1))


def spatial_transformer_sampler(x: Any, grid: Any, **kwargs: Any) -> Variable:
    """2D Spatial Transformer sampler: bilinear samples of ``x`` at the points of ``grid``.

    Coordinates ``(-1, -1)`` and ``(1, 1)`` are the centres of the upper-left
    and the lower-right pixels of ``x``; points outside sample a zero-padded
    image.

    Args:
        x: Variable or array of shape ``(n, c_I, h, w)``.
        grid: Variable or array of shape ``(n, 2, h_O, w_O)``: for each output
            pixel, the horizontal then the vertical coordinate of its source point.

    Returns:
        A Variable of shape ``(n, c_I, h_O, w_O)``.
    """
    check_unexpected_kwargs(kwargs, use_cudnn=_NO_CUDNN)
    if kwargs:
        raise TypeError(f'spatial_transformer_sampler() got unexpected keyword argument(s) '
                        f'{", ".join(sorted(kwargs))}')
    x_info, grid_info = get_light_types(tuple(a.array if isinstance(a, Variable) else a
                                              for a in (x, grid)))
    xp = get_namespace(x)
    expect_float(xp, x_info, 'x')
    expect_float(xp, grid_info, 'grid')
    if x_info.ndim != 4 or grid_info.ndim != 4 or grid_info.shape[1] != 2 or \
            x_info.shape[0] != grid_info.shape[0]:
        raise InvalidType('x.ndim == 4, grid.ndim == 4, grid.shape[1] == 2 and '
                          'x.shape[0] == grid.shape[0]',
                          f'x.shape == {x_info.shape}, grid.shape == {grid_info.shape}')
    n, c, h, w = x_info.shape
    out_h, out_w = grid_info.shape[2:]
    points = reshape(grid, (n, 2, out_h * out_w))
    u = (reshape(points[:, 0], (n, -1)) + 1.0) * ((w - 1) / 2.0)
    v = (reshape(points[:, 1], (n, -1)) + 1.0) * ((h - 1) / 2.0)
    return reshape(sample_bilinear(x, u, v), (n, c, out_h, out_w))
