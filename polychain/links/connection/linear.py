"""The fully connected layer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from polychain import initializers
from polychain.functions.connection.linear import linear
from polychain.link import Link
from polychain.links.connection.from_params import unwrap_params
from polychain.parameter import Parameter
from polychain.variable import Variable


class Linear(Link):
    """Fully connected layer ``y = x W^T + b``.

    ``Linear(out_size)`` or ``Linear(None, out_size)`` infers the input size
    from the first input, creating ``W`` then (on the link's device).

    Args:
        in_size: Input dimension, or ``None`` to infer it.
        out_size: Output dimension.
        nobias: Leave the bias out.
        initialW: Initializer of ``W`` (default :class:`~polychain.initializers.LeCunNormal`).
        initial_bias: Initializer of ``b`` (default 0).
    """

    def __init__(self, in_size: int | None, out_size: int | None = None, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None) -> None:  # noqa: N803
        super().__init__()
        if out_size is None:
            in_size, out_size = None, in_size
        self.in_size = in_size
        self.out_size = out_size
        self.nobias = nobias
        with self.init_scope():
            self.W = Parameter(initializers.get_initializer(initialW))
            if in_size is not None:
                self.W.initialize((out_size, in_size))
            if nobias:
                self.b = None
            else:
                bias_init = 0.0 if initial_bias is None else initial_bias
                self.b = Parameter(initializers.get_initializer(bias_init), out_size)

    @classmethod
    def from_params(cls, W: Any, b: Any = None, nobias: bool = False) -> Linear:  # noqa: N803
        """A layer initialised with the values of ``W`` (and ``b``), on ``W``'s device.

        Raises:
            ValueError: ``b`` does not have ``W.shape[0]`` elements.
        """
        out_size, in_size = W.shape
        W, b, device = unwrap_params(W, b, out_size, cls.__name__)  # noqa: N806
        return cls(in_size, out_size, nobias, initialW=W, initial_bias=b).to_device(device)

    def _uninitialized_shape(self, name: str) -> tuple[int | None, ...] | None:
        return (self.out_size, None) if name == 'W' else None

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield 'in_size', self.in_size
        yield 'out_size', self.out_size
        yield 'nobias', self.nobias

    def forward(self, x: Any, n_batch_axes: int = 1) -> Variable:
        """Applies the layer; axes after the first ``n_batch_axes`` are flattened."""
        if self.W.array is None and hasattr(x, 'shape'):  # F.linear rejects a list
            in_size = 1
            for n in x.shape[n_batch_axes:]:
                in_size *= n
            self.W.initialize((self.out_size, in_size))
        return linear(x, self.W, self.b, n_batch_axes=n_batch_axes)
