"""The layer normalization layer."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from polychain.functions.normalization.layer_normalization import layer_normalization
from polychain.link import Link
from polychain.links.normalization.affine_parameters import initializer_of
from polychain.parameter import Parameter
from polychain.variable import Variable


class LayerNormalization(Link):
    """Layer normalization layer: standardizes each sample over its units.

    Args:
        size: Number of units, or ``None`` to infer it from the first input.
        eps: Added to the variance.
        initial_gamma: Initializer of the scale ``gamma`` (default 1).
        initial_beta: Initializer of the shift ``beta`` (default 0).
    """

    def __init__(self, size: int | None = None, eps: float = 1e-6, initial_gamma: Any = None,
                 initial_beta: Any = None) -> None:
        super().__init__()
        self.eps = eps
        with self.init_scope():
            self.gamma = Parameter(initializer_of(initial_gamma, 1))
            self.beta = Parameter(initializer_of(initial_beta, 0))
        if size is not None:
            self._initialize_params(size)

    def _initialize_params(self, size: int) -> None:
        self.gamma.initialize(size)
        self.beta.initialize(size)

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield 'eps', self.eps

    def forward(self, x: Any) -> Variable:
        """Normalizes ``x`` of shape ``(batch, units)``."""
        if self.gamma.array is None:
            self._initialize_params(math.prod(x.shape[1:]))
        return layer_normalization(x, self.gamma, self.beta, self.eps)
