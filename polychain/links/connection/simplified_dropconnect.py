"""The fully connected layer with simplified DropConnect."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from polychain.functions.noise.simplified_dropconnect import simplified_dropconnect
from polychain.links.connection.linear import Linear
from polychain.variable import Variable


class SimplifiedDropconnect(Linear):
    """Fully connected layer whose weights are randomly dropped while training.

    ``y = x (W * mask / (1 - ratio))^T + b``; see
    :func:`~polychain.functions.simplified_dropconnect`.

    Args:
        in_size: Input dimension, or ``None`` to infer it from the first input.
        out_size: Output dimension.
        ratio: The probability of dropping each weight.
        nobias: Leave the bias out.
        initialW: Initializer of ``W`` (default :class:`~polychain.initializers.LeCunNormal`).
        initial_bias: Initializer of ``b`` (default 0).
    """

    def __init__(self, in_size: int | None, out_size: int, ratio: float = .5,
                 nobias: bool = False, initialW: Any = None,  # noqa: N803
                 initial_bias: Any = None) -> None:
        super().__init__(in_size, out_size, nobias, initialW, initial_bias)
        self.ratio = ratio

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield from super().printable_specs
        yield 'ratio', self.ratio

    def forward(self, x: Any, train: bool = True, mask: Any = None,
                use_batchwise_mask: bool = True) -> Variable:
        """Applies the layer to ``x`` (axes after the first are flattened).

        Args:
            x: Input of shape ``(N, ...)``.
            train: Whether weights are dropped.
            mask: A 0/1 mask ``(N, out_size, in_size)`` (or ``(out_size,
                in_size)`` without ``use_batchwise_mask``) instead of a random one.
            use_batchwise_mask: Draw one mask per sample.
        """
        if self.W.array is None:
            in_size = 1
            for n in x.shape[1:]:
                in_size *= n
            self.W.initialize((self.out_size, in_size))
        return simplified_dropconnect(x, self.W, self.b, self.ratio, train, mask,
                                      use_batchwise_mask)
