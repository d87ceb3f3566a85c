"""normalize: divides by the L2 norm along an axis."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.array.where import where
from polychain.functions.math.exponential import sqrt
from polychain.functions.math.sum import sum
from polychain.variable import Variable


class NormalizeL2(FunctionNode):
    """``x / (||x|| + eps)`` with the norm taken along ``axis`` (kept for broadcasting)."""

    _retain_input_indexes = (0,)

    def __init__(self, eps: float, axis: Any) -> None:
        self.eps = eps
        self.axis = axis

    def forward(self, inputs):
        xp = self.xp
        x, = inputs
        norm = xp.sqrt(xp.sum(x * x, axis=self.axis, keepdims=True)) + self.eps
        return x / norm,

    def backward(self, indexes, grad_outputs):
        xp = self.xp
        gy, = grad_outputs
        x, = self.get_retained_inputs()
        squares = sum(x * x, axis=self.axis, keepdims=True)
        # The norm is not differentiable at a zero vector: there its square root
        # is taken of 1 and masked out, so that double backprop stays finite.
        nonzero = squares.array != 0
        zeros = xp.zeros_like(squares.array)
        safe_norm = sqrt(where(nonzero, squares, xp.ones_like(squares.array)))
        norm = where(nonzero, safe_norm, zeros) + self.eps
        projection = where(nonzero, sum(x * gy, axis=self.axis, keepdims=True) / safe_norm,
                           zeros)
        return (gy * norm - projection * x) / (norm * norm),


def normalize(x: Any, eps: float = 1e-5, axis: Any = 1) -> Variable:
    """L2 normalization: ``x / (sqrt(sum(x ** 2, axis)) + eps)``.

    Args:
        x: Input variable or array of at least ``axis + 1`` dimensions.
        eps: Added to the norm, so that a zero vector stays finite.
        axis: The axis (or tuple of axes) along which the norm is taken.
    """
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if not -x.ndim <= a < x.ndim:
            raise ValueError(f'normalize: expected axis in [{-x.ndim}, {x.ndim}) for x with '
                             f'{x.ndim} dimensions, received axis={axis!r}')
    return NormalizeL2(eps, tuple(a % x.ndim for a in axes)).apply((x,))[0]
