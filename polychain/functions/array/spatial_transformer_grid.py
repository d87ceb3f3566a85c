"""spatial_transformer_grid: where an affine warp samples (Spatial Transformer Networks)."""

from __future__ import annotations

from typing import Any

from polychain.backend.registry import get_device_from_array, get_namespace
from polychain.functions.array.reshape import reshape
from polychain.functions.math.matmul import matmul
from polychain.utils.argument import check_unexpected_kwargs
from polychain.utils.type_check import InvalidType, expect_float, get_light_types
from polychain.variable import Variable

_NO_CUDNN = ('use_cudnn argument is not supported anymore. Use '
             'chainer.using_config(\'use_cudnn\', value) context where value can be '
             '`always`, `never`, or `auto`.')


def spatial_transformer_grid(theta: Any, output_shape: tuple[int, int],
                             **kwargs: Any) -> Variable:
    """2D Spatial Transformer grid: where an affine warp samples its source image.

    Output pixel ``(i, j)`` of an ``(h_O, w_O)`` image lies at
    ``(x^t, y^t)`` with ``x^t`` and ``y^t`` evenly spaced in ``[-1, 1]``
    along the width and the height; its source point is
    ``theta @ (x^t, y^t, 1)``.

    Args:
        theta: Variable or array of shape ``(n, 2, 3)``: one affine matrix per image.
        output_shape: ``(h_O, w_O)``.

    Returns:
        A Variable of shape ``(n, 2, h_O, w_O)``: the x coordinates, then the y
        coordinates, with ``(-1, -1)`` the upper-left corner of the source image
        and ``(1, 1)`` its lower-right one.
    """
    check_unexpected_kwargs(kwargs, use_cudnn=_NO_CUDNN)
    if kwargs:
        raise TypeError(f'spatial_transformer_grid() got unexpected keyword argument(s) '
                        f'{", ".join(sorted(kwargs))}')
    raw = theta.array if isinstance(theta, Variable) else theta
    info, = get_light_types((raw,))
    expect_float(get_namespace(raw), info, 'theta')
    if info.ndim != 3 or tuple(info.shape[1:]) != (2, 3):
        raise InvalidType('theta.ndim == 3 and theta.shape[1:] == (2, 3)',
                          f'theta.shape == {tuple(info.shape)}')
    height, width = (int(n) for n in output_shape)
    device = get_device_from_array(raw)
    xp = device.namespace
    dtype = info.dtype
    xs = xp.linspace(-1.0, 1.0, width, dtype=dtype, device=device.native)
    ys = xp.linspace(-1.0, 1.0, height, dtype=dtype, device=device.native)
    points = xp.stack([
        xp.reshape(xp.broadcast_to(xp.reshape(xs, (1, width)), (height, width)), (-1,)),
        xp.reshape(xp.broadcast_to(xp.reshape(ys, (height, 1)), (height, width)), (-1,)),
        xp.ones(height * width, dtype=dtype, device=device.native)])  # (3, h_O * w_O)
    return reshape(matmul(theta, points), (info.shape[0], 2, height, width))
