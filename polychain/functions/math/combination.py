"""Small combinations of arithmetic: bias, scale, squared_difference, linear_interpolate
and batch_l2_norm_squared."""

from __future__ import annotations

from typing import Any

from polychain.configuration import config
from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.reshape import reshape
from polychain.functions.math.sum import sum
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def _as_variable(x: Any) -> Variable:
    return x if isinstance(x, Variable) else Variable(x, requires_grad=False)


def _expand_at(name: str, x: Any, y: Any, axis: int) -> Variable:
    """``y`` broadcast to the shape of ``x``, its axes matching those of ``x`` from ``axis``."""
    x_shape, y_shape = tuple(x.shape), tuple(y.shape)
    if axis < 0:
        axis += len(x_shape)
    if x_shape[axis:axis + len(y_shape)] != y_shape:
        # Chainer asserts the shapes in debug mode.
        error = AssertionError if config.debug else ValueError
        raise error(f'{name}: expected y.shape == x.shape[{axis}:{axis + len(y_shape)}] '
                    f'== {x_shape[axis:axis + len(y_shape)]}, received {y_shape}')
    shape = (1,) * axis + y_shape + (1,) * (len(x_shape) - axis - len(y_shape))
    return broadcast_to(reshape(y, shape), x_shape)


def bias(x: Any, y: Any, axis: int = 1) -> Variable:
    """``x + y``, with ``y`` broadcast over the axes of ``x`` outside ``axis, axis + 1, ...``.

    Args:
        x: Input variable or array.
        y: Bias whose shape equals ``x.shape[axis:axis + y.ndim]``.
        axis: The first axis of ``x`` that ``y`` covers.
    """
    return _as_variable(x) + _expand_at('bias', x, y, axis)


def scale(x: Any, y: Any, axis: int = 1) -> Variable:
    """``x * y``, with ``y`` broadcast over the axes of ``x`` outside ``axis, axis + 1, ...``.

    Args:
        x: Input variable or array.
        y: Scale whose shape equals ``x.shape[axis:axis + y.ndim]``.
        axis: The first axis of ``x`` that ``y`` covers.
    """
    return _as_variable(x) * _expand_at('scale', x, y, axis)


def squared_difference(x1: Any, x2: Any) -> Variable:
    """Elementwise ``(x1 - x2) ** 2``.

    Args:
        x1: Input variable or array.
        x2: Input variable or array of the same dtype, broadcastable with ``x1``.
    """
    d = _as_variable(x1) - x2
    return d * d


def linear_interpolate(p: Any, x: Any, y: Any) -> Variable:
    """Elementwise ``p * x + (1 - p) * y``.

    Args:
        p: Interpolation weights (variable or array).
        x: First input, of the shape and dtype of ``p``.
        y: Second input, of the shape and dtype of ``p``.
    """
    for name, v in (('x', x), ('y', y)):
        if tuple(v.shape) != tuple(p.shape):
            raise ValueError(f'linear_interpolate: expected {name}.shape == p.shape == '
                             f'{tuple(p.shape)}, received {tuple(v.shape)}')
    y = _as_variable(y)
    return y - (y - x) * p


def batch_l2_norm_squared(x: Any) -> Variable:
    """Squared L2 norm of each sample: the sum of squares over all axes but the first.

    Args:
        x: Input variable or array of shape ``(B, ...)``, at least 2-D.

    Raises:
        InvalidType: ``x`` has fewer than two dimensions.
    """
    if x.ndim < 2:
        raise InvalidType('batch_l2_norm_squared: x.ndim >= 2 (a batch of arrays)',
                          f'x.shape == {tuple(x.shape)}')
    flat = reshape(x, (x.shape[0], -1))
    return sum(flat * flat, axis=1)

