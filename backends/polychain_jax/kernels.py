"""JAX kernels that override polychain's generic Array API implementations by name."""

from __future__ import annotations

import itertools
from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.special


def im2col_nd(x: jax.Array, ksize: tuple[int, ...], stride: tuple[int, ...],
              pad: tuple[int, ...], dilate: tuple[int, ...], pad_value: Any = 0) -> jax.Array:
    """Patches of ``x`` (N, C, *spatial) as (N, C, *ksize, *out_size).

    One strided slice per kernel offset, stacked; slicing copies values
    exactly, so any ``pad_value`` (``-inf`` for max pooling) is kept.

    Args:
        x: Input of shape ``(N, C, *spatial)``.
        ksize: Kernel size per spatial axis.
        stride: Stride per spatial axis.
        pad: Padding added on both sides of each spatial axis.
        dilate: Dilation per spatial axis.
        pad_value: Value of the padding.
    """
    if any(pad):
        padding = ((0, 0), (0, 0)) + tuple((p, p) for p in pad)
        x = jnp.pad(x, padding, constant_values=pad_value)
    spatial = tuple(x.shape[2:])
    out_size = tuple((n - d * (k - 1) - 1) // s + 1
                     for n, k, s, d in zip(spatial, ksize, stride, dilate))
    if any(n < 1 for n in out_size):
        raise ValueError(f'im2col_nd: expected a window of size {tuple(ksize)} with dilation '
                         f'{tuple(dilate)} to fit the padded input, received spatial shape '
                         f'{spatial}')
    patches = []
    for offsets in itertools.product(*(range(k) for k in ksize)):
        window = tuple(slice(o * d, o * d + (m - 1) * s + 1, s)
                       for o, d, m, s in zip(offsets, dilate, out_size, stride))
        patches.append(x[(slice(None), slice(None)) + window])
    cols = jnp.stack(patches, axis=2)
    return jnp.reshape(cols, tuple(x.shape[:2]) + tuple(ksize) + out_size)


#: Kernels by name; convolution and pooling kernels join this table.
KERNELS = {'im2col_nd': im2col_nd}

KERNELS['erf'] = jax.scipy.special.erf
KERNELS.update({'erfc': jax.scipy.special.erfc, 'erfinv': jax.scipy.special.erfinv,
                'lgamma': jax.scipy.special.gammaln, 'digamma': jax.scipy.special.digamma,
                'polygamma': jax.scipy.special.polygamma})
