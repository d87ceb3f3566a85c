"""layer_normalization: standardize each sample over its units, then scale and shift."""

from __future__ import annotations

from typing import Any

from polychain.functions.normalization.standardization import AffineStandardization
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


class LayerNormalization(AffineStandardization):
    """Layer normalization of a ``(batch, units)`` input with ``(units,)`` parameters."""

    def forward(self, inputs):
        x, gamma, beta = inputs
        if x.ndim != 2:
            raise InvalidType('x.ndim == 2', f'x.ndim == {x.ndim}')
        for name, array in (('gamma', gamma), ('beta', beta)):
            if tuple(array.shape) != (x.shape[1],) or array.dtype != x.dtype:
                raise InvalidType(f'{name}.shape == ({x.shape[1]},) and {name}.dtype == '
                                  f'x.dtype == {x.dtype}',
                                  f'{name}.shape == {tuple(array.shape)}, {name}.dtype == '
                                  f'{array.dtype}')
        return super().forward(inputs)


def layer_normalization(x: Any, gamma: Any, beta: Any, eps: float = 1e-5) -> Variable:
    """Layer normalization: each sample is standardized over its units.

    ``y = gamma * (x - mean) / sqrt(var + eps) + beta`` with the mean and the
    biased variance of each row of ``x``.

    Args:
        x: Input of shape ``(batch, units)``.
        gamma: Scale of shape ``(units,)``.
        beta: Shift of shape ``(units,)``.
        eps: Added to the variance.
    """
    units = x.shape[1] if x.ndim == 2 else -1
    return LayerNormalization((1,), (1, units), eps).apply((x, gamma, beta))[0]
