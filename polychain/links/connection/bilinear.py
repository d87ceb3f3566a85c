"""The bilinear layer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from polychain import initializers
from polychain.functions.connection.bilinear import bilinear
from polychain.link import Link
from polychain.links.errors import LinkArgumentError
from polychain.parameter import Parameter
from polychain.variable import Variable


def _bias_initializers(initial_bias: Any) -> tuple[Any, Any, Any]:
    """Initializers of ``V1``, ``V2`` and ``b`` from Chainer's ``initial_bias`` argument."""
    if initial_bias is None:
        return None, None, 0
    if isinstance(initial_bias, tuple):
        if len(initial_bias) != 3:
            raise ValueError(f'Bilinear: expected initial_bias to be a tuple (V1, V2, b), '
                             f'received a tuple of length {len(initial_bias)}')
        return initial_bias
    if callable(initial_bias):
        return initial_bias, initial_bias, 0
    raise ValueError(f'Bilinear: expected initial_bias to be a tuple, a callable or None, '
                     f'received {type(initial_bias).__name__}')


def _parameter(initial: Any, shape: tuple[int, ...], argument: str) -> Parameter:
    """A parameter of ``shape`` from an initializer or an array of that shape.

    Raises:
        LinkArgumentError: ``initial`` is an array of another shape.
    """
    if hasattr(initial, 'shape') and tuple(initial.shape) != shape:
        raise LinkArgumentError(f'Bilinear: expected {argument} of shape {shape}, received '
                                f'shape {tuple(initial.shape)}')
    return Parameter(initializers.get_initializer(initial), shape)


class Bilinear(Link):
    """Bilinear layer: ``y = e1^T W e2 + V1^T e1 + V2^T e2 + b`` (see :func:`bilinear`).

    Args:
        left_size: Size of the left input ``e1`` (``J``).
        right_size: Size of the right input ``e2`` (``K``).
        out_size: Size of the output (``L``).
        nobias: Leave ``V1``, ``V2`` and ``b`` out.
        initialW: Initializer of ``W`` of shape ``(J, K, L)`` (default
            :class:`~polychain.initializers.LeCunNormal`).
        initial_bias: A tuple ``(V1, V2, b)`` of initial values or
            initializers, a callable that initializes ``V1`` and ``V2`` (``b``
            is 0), or ``None`` (``V1`` and ``V2`` LeCun normal, ``b`` 0).

    Attributes:
        W: Bilinear weight.
        V1: Linear weight of the left input.
        V2: Linear weight of the right input.
        b: Bias.
    """

    def __init__(self, left_size: int, right_size: int, out_size: int, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None) -> None:  # noqa: N803
        super().__init__()
        self.in_sizes = (left_size, right_size)
        self.nobias = nobias
        with self.init_scope():
            self.W = _parameter(initialW, (left_size, right_size, out_size), 'initialW')
            if nobias:
                return
            shapes = ((left_size, out_size), (right_size, out_size), (out_size,))
            initial_v1, initial_v2, initial_b = _bias_initializers(initial_bias)
            self.V1, self.V2, self.b = (
                _parameter(initial, shape, f'initial_bias[{i}]')
                for i, (initial, shape) in enumerate(zip((initial_v1, initial_v2, initial_b),
                                                         shapes)))

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield 'left_size', self.in_sizes[0]
        yield 'right_size', self.in_sizes[1]
        yield 'out_size', self.W.shape[2]
        yield 'nobias', self.nobias

    def forward(self, e1: Any, e2: Any) -> Variable:
        """Applies the bilinear form to ``e1`` of shape ``(N, J)`` and ``e2`` of ``(N, K)``."""
        if self.nobias:
            return bilinear(e1, e2, self.W)
        return bilinear(e1, e2, self.W, self.V1, self.V2, self.b)
