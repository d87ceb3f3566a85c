"""The maxout layer."""

from __future__ import annotations

from typing import Any

import numpy

from polychain import initializers
from polychain.backend import to_host
from polychain.functions.activation.maxout import maxout
from polychain.link import Chain
from polychain.links.connection.linear import Linear
from polychain.variable import Variable


class _ReshapedInitializer(initializers.Initializer):
    """Fills an array through a view of another shape (the unfused shape of a weight)."""

    def __init__(self, initializer: Any, shape: tuple[int, ...]) -> None:
        super().__init__(getattr(initializer, 'dtype', None))
        self.initializer = initializer
        self.view_shape = shape

    def fill(self, array: numpy.ndarray) -> None:
        self.initializer(array.reshape(self.view_shape))


def _fused(initial: Any, shape: tuple[int, ...], name: str) -> Any:
    """``initial`` for the fused Linear parameter, given for the unfused ``shape``.

    Initializer objects fill the fused parameter directly (their scales see its
    fused shape); arrays are reshaped and plain callables fill an unfused view.
    """
    if initial is None or numpy.isscalar(initial) or \
            isinstance(initial, initializers.Initializer):
        return initial
    if hasattr(initial, 'shape') and hasattr(initial, 'dtype'):
        if tuple(initial.shape) != shape:
            raise ValueError(f'Maxout: expected {name} of shape {shape}, received shape '
                             f'{tuple(initial.shape)}')
        host = numpy.asarray(to_host(initial))
        return host.reshape((shape[0] * shape[1],) + shape[2:])
    if callable(initial):
        return _ReshapedInitializer(initial, shape)
    raise ValueError(f'Maxout: expected {name} to be None, a scalar, an array or an '
                     f'initializer, received {type(initial).__name__}')


class Maxout(Chain):
    """Fully connected maxout layer: ``out_size`` maxima over groups of ``pool_size`` units.

    Args:
        in_size: Input dimension.
        out_size: Output dimension.
        pool_size: Number of linear units pooled into each output.
        initialW: Initializer or array of the weight, of shape
            ``(out_size, pool_size, in_size)`` (default LeCun normal).
        initial_bias: Initializer or array of the bias, of shape
            ``(out_size, pool_size)``; ``None`` leaves the bias out.

    Attributes:
        linear: The :class:`Linear` link of ``out_size * pool_size`` units.
    """

    def __init__(self, in_size: int, out_size: int, pool_size: int, initialW: Any = None,  # noqa: N803
                 initial_bias: Any = 0) -> None:
        super().__init__()
        self.out_size = out_size
        self.pool_size = pool_size
        initialW = _fused(initialW, (out_size, pool_size, in_size), 'initialW')  # noqa: N806
        initial_bias = _fused(initial_bias, (out_size, pool_size), 'initial_bias')
        with self.init_scope():
            self.linear = Linear(in_size, out_size * pool_size, nobias=initial_bias is None,
                                 initialW=initialW, initial_bias=initial_bias)

    def forward(self, x: Any) -> Variable:
        """Applies the layer to ``x`` of shape ``(N, in_size)``."""
        return maxout(self.linear(x), self.pool_size)
