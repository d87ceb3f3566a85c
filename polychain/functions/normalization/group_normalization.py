"""group_normalization: standardize each sample within groups of channels."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.reshape import reshape
from polychain.functions.normalization.standardization import AffineStandardization
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


class GroupNormalization(AffineStandardization):
    """Standardization of ``x`` reshaped to ``(batch, groups, channels / groups, rest)``."""

    def forward(self, inputs):
        x, gamma, beta = inputs
        channels = x.shape[1] * x.shape[2]
        # gamma and beta share a dtype, which may be wider than x's (mixed16 links keep
        # float32 parameters for float16 inputs, as in Chainer).
        for name, array in (('gamma', gamma), ('beta', beta)):
            if tuple(array.shape) != (channels,) or array.dtype != gamma.dtype:
                raise InvalidType(f'{name}.shape == ({channels},) and {name}.dtype == '
                                  f'gamma.dtype == {gamma.dtype}',
                                  f'{name}.shape == {tuple(array.shape)}, {name}.dtype == '
                                  f'{array.dtype}')
        return super().forward(inputs)


def group_normalization(x: Any, groups: int, gamma: Any, beta: Any,
                        eps: float = 1e-5) -> Variable:
    """Group normalization: each sample is standardized within groups of channels.

    The channels (axis 1) are split into ``groups`` groups; each group of each
    sample is standardized over its channels and spatial axes, and the result
    is scaled and shifted per channel.

    Args:
        x: Input of shape ``(batch, channels, spatial...)``, spatial axes optional.
        groups: Number of groups; it divides ``channels``.
        gamma: Scale of shape ``(channels,)``.
        beta: Shift of shape ``(channels,)``.
        eps: Added to the variance.
    """
    if x.ndim < 2:
        raise ValueError(f'group_normalization: expected x with at least 2 dimensions (batch, '
                         f'channels, spatial...), received x.shape == {tuple(x.shape)}')
    if not isinstance(groups, int) or isinstance(groups, bool):
        raise TypeError(f'group_normalization: expected an int groups, received '
                        f'{type(groups).__name__}')
    batch, channels = x.shape[:2]
    if groups <= 0 or channels % groups:
        raise ValueError(f'group_normalization: expected groups to divide the {channels} '
                         f'channels, received groups={groups}')
    grouped_shape = (batch, groups, channels // groups) + tuple(x.shape[2:])
    spatial = tuple(range(3, len(grouped_shape)))
    parameter_shape = (1, groups, channels // groups) + (1,) * len(spatial)
    node = GroupNormalization((2,) + spatial, parameter_shape, eps)
    y = node.apply((reshape(x, grouped_shape), gamma, beta))[0]
    return reshape(y, x.shape)
