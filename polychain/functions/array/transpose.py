"""transpose."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.variable import Variable


class Transpose(FunctionNode):
    """Permutes the axes of an array."""

    def __init__(self, axes: tuple[int, ...] | None) -> None:
        self.axes = axes

    def forward(self, inputs):
        x, = inputs
        axes = self.axes
        if axes is None:
            axes = self.axes = tuple(range(x.ndim - 1, -1, -1))
        elif len(axes) != x.ndim or any(not -x.ndim <= a < x.ndim for a in axes) or \
                sorted(a % x.ndim for a in axes) != list(range(x.ndim)):
            raise ValueError(f'transpose: expected a permutation of {x.ndim} axes, received '
                             f'{axes} for shape {tuple(x.shape)}')
        else:
            axes = self.axes = tuple(a % x.ndim for a in axes)
        return self.xp.permute_dims(x, axes),

    def backward(self, indexes, grad_outputs):
        ndim = len(self.axes)
        inverse = tuple(sorted(range(ndim), key=lambda i: self.axes[i] % ndim))
        return transpose(grad_outputs[0], inverse),


def transpose(x: Any, axes: Any = None) -> Variable:
    """Permutes the axes of ``x``; ``axes=None`` reverses them.

    Args:
        x: Input variable or array.
        axes: A permutation of ``range(x.ndim)``, or ``None``.
    """
    return Transpose(None if axes is None else tuple(axes)).apply((x,))[0]
