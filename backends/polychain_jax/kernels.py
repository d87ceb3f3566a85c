"""JAX kernels that override polychain's generic Array API implementations (declared in
:mod:`polychain.backend.kernels`)."""

from __future__ import annotations

import itertools
from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.special

from polychain.backend import kernels


def im2col_nd(x: jax.Array, ksize: tuple[int, ...], stride: tuple[int, ...],
              dilate: tuple[int, ...]) -> jax.Array:
    """Patches of ``x`` (N, C, *spatial), already padded, as (N, C, *ksize, *out_size).

    One strided slice per kernel offset, stacked; slicing copies values
    exactly, so any padding value (``-inf`` for max pooling) is kept.
    """
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


def _widening_float16(function: Any) -> Any:
    """``function`` of one array, computed in float32 for a float16 ``x`` (JAX's ndtr,
    ndtri and log_ndtr reject float16) and given back in float16."""
    def kernel(x: jax.Array) -> jax.Array:
        if x.dtype == jnp.float16:
            return function(x.astype(jnp.float32)).astype(jnp.float16)
        return function(x)
    kernel.__name__ = function.__name__
    return kernel


def window_sum_nd(x: jax.Array, ksize: tuple[int, ...], stride: tuple[int, ...]) -> jax.Array:
    """Sum of each window of ``x`` (N, C, *spatial), already padded, as (N, C, *out_size).

    Args:
        x: Padded input of shape ``(N, C, *spatial)``.
        ksize: Window size per spatial axis.
        stride: Stride per spatial axis.
    """
    return jax.lax.reduce_window(x, jnp.zeros((), x.dtype), jax.lax.add, (1, 1) + tuple(ksize),
                                 (1, 1) + tuple(stride), 'VALID')


def convolution_nd(x: jax.Array, W: jax.Array, stride: tuple[int, ...],  # noqa: N803
                   padding: tuple[tuple[int, int], ...], dilate: tuple[int, ...],
                   groups: int) -> jax.Array:
    """Convolution of ``x`` (N, C, *in) by ``W`` (O, C / groups, *k), padded by ``padding``."""
    return jax.lax.conv_general_dilated(x, W, stride, tuple(padding), rhs_dilation=dilate,
                                        feature_group_count=groups,
                                        precision=jax.lax.Precision.HIGHEST)


def convolution_filter_grad_nd(x: jax.Array, gy: jax.Array, ksize: tuple[int, ...],
                               stride: tuple[int, ...], padding: tuple[tuple[int, int], ...],
                               dilate: tuple[int, ...], groups: int) -> jax.Array:
    """The filter gradient of :func:`convolution_nd`: its transpose in the filter, applied
    to the output gradient ``gy`` (one convolution, as XLA differentiates its own)."""
    filter_shape = (gy.shape[1], x.shape[1] // groups) + tuple(ksize)
    transpose = jax.linear_transpose(
        lambda W: convolution_nd(x, W, stride, padding, dilate, groups),  # noqa: N803
        jax.ShapeDtypeStruct(filter_shape, x.dtype))
    return transpose(gy)[0]


def deconvolution_nd(x: jax.Array, W: jax.Array, stride: tuple[int, ...],  # noqa: N803
                     pad: tuple[int, ...], outsize: tuple[int, ...], dilate: tuple[int, ...],
                     groups: int) -> jax.Array:
    """Transposed convolution of ``x`` (N, C, *in) by ``W`` (C, O / groups, *k) to ``outsize``.

    A convolution of ``x`` dilated by the stride with the flipped filter whose
    input and output channels are swapped within each group.
    """
    nd = W.ndim - 2
    c, o, ksize = W.shape[0] // groups, W.shape[1], tuple(W.shape[2:])
    w = jnp.swapaxes(jnp.reshape(W, (groups, c, o) + ksize), 1, 2)
    w = jnp.flip(jnp.reshape(w, (groups * o, c) + ksize), axis=tuple(range(2, 2 + nd)))
    padding = tuple((d * (k - 1) - p, m + p - (n - 1) * s - 1) for n, k, s, p, d, m in
                    zip(x.shape[2:], ksize, stride, pad, dilate, outsize))
    return jax.lax.conv_general_dilated(x, w, (1,) * nd, padding, lhs_dilation=stride,
                                        rhs_dilation=dilate, feature_group_count=groups,
                                        precision=jax.lax.Precision.HIGHEST)


#: The kernels of the JAX backend.
KERNELS = {
    kernels.im2col_nd: im2col_nd,
    kernels.window_sum_nd: window_sum_nd,
    kernels.convolution_nd: convolution_nd,
    kernels.deconvolution_nd: deconvolution_nd,
    kernels.convolution_filter_grad_nd: convolution_filter_grad_nd,
    kernels.erf: jax.scipy.special.erf,
    kernels.erfc: jax.scipy.special.erfc,
    kernels.erfinv: jax.scipy.special.erfinv,
    kernels.erfcx: jax.scipy.special.erfcx,
    kernels.lgamma: jax.scipy.special.gammaln,
    kernels.digamma: jax.scipy.special.digamma,
    kernels.polygamma: jax.scipy.special.polygamma,
    kernels.ndtr: _widening_float16(jax.scipy.special.ndtr),
    kernels.ndtri: _widening_float16(jax.scipy.special.ndtri),
    kernels.log_ndtr: _widening_float16(jax.scipy.special.log_ndtr),
    kernels.zeta: jax.scipy.special.zeta,
}
