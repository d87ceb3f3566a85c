"""clipped_relu and relu6."""

from __future__ import annotations

from typing import Any

from polychain.functions.activation.piecewise_linear import PiecewiseLinear
from polychain.variable import Variable


class ClippedReLU(PiecewiseLinear):
    """min(max(x, 0), z); the gradient is 1 on the open interval (0, z) only."""

    def __init__(self, z: float, function: str = 'clipped_relu') -> None:
        if isinstance(z, bool) or not isinstance(z, (int, float)):
            raise TypeError(f'{function}: expected z to be a float, received '
                            f'{type(z).__name__}')
        if not z > 0:
            raise ValueError(f'{function}: expected z > 0, received {z}')
        self.cap = float(z)

    def forward(self, inputs):
        return self.xp.clip(inputs[0], 0.0, self.cap),

    def slope(self, x):
        return self.mask((x > 0) & (x < self.cap), x.dtype)


def clipped_relu(x: Any, z: float = 20.0) -> Variable:
    """Clipped rectified linear unit, ``min(max(x, 0), z)``.

    Args:
        x: Input variable or array of floating dtype.
        z: The clipping value (positive).

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return ClippedReLU(z).apply((x,))[0]


def relu6(x: Any) -> Variable:
    """Rectified linear unit clipped at 6, ``min(max(x, 0), 6)``.

    Args:
        x: Input variable or array of floating dtype.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return ClippedReLU(6.0, 'relu6').apply((x,))[0]
