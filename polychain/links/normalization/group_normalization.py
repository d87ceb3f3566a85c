"""The group normalization layer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from polychain.functions.normalization.group_normalization import group_normalization
from polychain.link import Link
from polychain.links.normalization.affine_parameters import initializer_of
from polychain.parameter import Parameter
from polychain.variable import Variable


class GroupNormalization(Link):
    """Group normalization layer: standardizes groups of channels of each sample.

    Args:
        groups: Number of channel groups; it divides the number of channels.
        size: Number of channels, or ``None`` to infer it from the first input.
        eps: Added to the variance.
        initial_gamma: Initializer of the scale ``gamma`` (default 1).
        initial_beta: Initializer of the shift ``beta`` (default 0).
    """

    def __init__(self, groups: int, size: int | None = None, eps: float = 1e-5,
                 initial_gamma: Any = None, initial_beta: Any = None) -> None:
        super().__init__()
        self.groups = groups
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
        yield 'groups', self.groups
        yield 'eps', self.eps

    def forward(self, x: Any) -> Variable:
        """Normalizes ``x`` of shape ``(batch, channels, spatial...)``."""
        if self.gamma.array is None:
            if x.ndim < 2:
                raise ValueError(f'GroupNormalization: expected an input with at least 2 '
                                 f'dimensions, received shape {tuple(x.shape)}')
            self._initialize_params(x.shape[1])
        return group_normalization(x, self.groups, self.gamma, self.beta, self.eps)
