"""Fast NumPy kernels that override polychain's generic Array API implementations
(declared in :mod:`polychain.backend.kernels`)."""

from __future__ import annotations

import importlib.util
import itertools
from typing import Any

import numpy
from numpy.lib.stride_tricks import sliding_window_view

from polychain.backend import kernels


def im2col_nd(x: numpy.ndarray, ksize: tuple[int, ...], stride: tuple[int, ...],
              dilate: tuple[int, ...]) -> numpy.ndarray:
    """Patches of ``x`` (N, C, *spatial) as (N, C, *ksize, *out_size), through strided views."""
    nd = len(ksize)
    window = tuple(d * (k - 1) + 1 for k, d in zip(ksize, dilate))
    view = sliding_window_view(x, window, axis=tuple(range(2, 2 + nd)))
    view = view[(Ellipsis,) + tuple(slice(None, None, d) for d in dilate)]
    view = view[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)]
    axes = (0, 1) + tuple(range(2 + nd, 2 + 2 * nd)) + tuple(range(2, 2 + nd))
    return numpy.ascontiguousarray(view.transpose(axes))


def _scipy_special(name: str) -> Any:
    """SciPy's ``scipy.special.<name>`` returning arrays in the dtype of ``x``."""
    def kernel(*args: Any) -> numpy.ndarray:
        import scipy.special
        x = args[-1]
        return numpy.asarray(getattr(scipy.special, name)(*args), dtype=x.dtype)
    kernel.__name__ = name
    return kernel


def _scipy_kernels() -> dict[str, Any]:
    """The special-function kernels, by SciPy; none without SciPy (the generic ones serve)."""
    if importlib.util.find_spec('scipy') is None:
        return {}
    return {kernels.erf: _scipy_special('erf'), kernels.erfc: _scipy_special('erfc'),
            kernels.erfinv: _scipy_special('erfinv'), kernels.erfcinv: _scipy_special('erfcinv'),
            kernels.erfcx: _scipy_special('erfcx'), kernels.lgamma: _scipy_special('gammaln'),
            kernels.digamma: _scipy_special('psi'), kernels.polygamma: _scipy_special('polygamma'),
            kernels.ndtr: _scipy_special('ndtr'), kernels.ndtri: _scipy_special('ndtri'),
            kernels.log_ndtr: _scipy_special('log_ndtr'), kernels.zeta: _scipy_special('zeta')}


def array_storage(x: numpy.ndarray) -> tuple[numpy.ndarray, tuple[int, ...], int]:
    """The memory under ``x`` as a 1-D array of its dtype, with the strides and offset of
    ``x`` over it in elements: the array ``x`` views (through ``as_strided`` views too) when
    its memory is contiguous, else ``x`` itself flattened."""
    root = x
    while True:
        base = root.base
        if not isinstance(base, numpy.ndarray):  # as_strided's views keep theirs one further
            base = getattr(base, 'base', None)
        if not isinstance(base, numpy.ndarray):
            break
        root = base
    itemsize = x.dtype.itemsize
    offset = x.__array_interface__['data'][0] - root.__array_interface__['data'][0]
    if (root.flags.c_contiguous or root.flags.f_contiguous) and root.nbytes % itemsize == 0 \
            and offset % itemsize == 0 and all(s % itemsize == 0 for s in x.strides):
        storage = root.reshape(-1, order='A').view(numpy.uint8).view(x.dtype)
        return storage, tuple(s // itemsize for s in x.strides), offset // itemsize
    flat = numpy.ascontiguousarray(x).reshape(-1)
    return flat, tuple(s // itemsize for s in numpy.ascontiguousarray(x).strides), 0


def strided_view(storage: numpy.ndarray, shape: tuple[int, ...], strides: tuple[int, ...],
                 offset: int) -> numpy.ndarray:
    """The view of ``storage`` (1-D) with ``shape``, ``strides`` and ``offset`` in elements."""
    itemsize = storage.dtype.itemsize
    return numpy.lib.stride_tricks.as_strided(storage[offset:], shape,
                                              tuple(s * itemsize for s in strides))



def window_sum_nd(x: numpy.ndarray, ksize: tuple[int, ...],
                  stride: tuple[int, ...]) -> numpy.ndarray:
    """Sum of each window of ``x`` (N, C, *spatial), already padded, over a strided view."""
    nd = len(ksize)
    view = sliding_window_view(x, tuple(ksize), axis=tuple(range(2, 2 + nd)))
    view = view[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)]
    return view.sum(axis=tuple(range(2 + nd, 2 + 2 * nd)))



def _window_view(x: numpy.ndarray, ksize: tuple[int, ...], stride: tuple[int, ...],
                 dilate: tuple[int, ...]) -> numpy.ndarray:
    """A strided view of the windows of ``x`` (N, C, *spatial) as (N, C, *out_size, *ksize)."""
    window = tuple(d * (k - 1) + 1 for k, d in zip(ksize, dilate))
    view = sliding_window_view(x, window, axis=tuple(range(2, 2 + len(ksize))))
    return view[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)
                + tuple(slice(None, None, d) for d in dilate)]


def _tensordot(a: numpy.ndarray, b: numpy.ndarray, axes: Any) -> numpy.ndarray:
    """``numpy.tensordot``; two float16 operands are multiplied in float32 and the result
    rounded back (NumPy has no BLAS for float16, and accumulating in float32 is what GPUs
    do)."""
    if a.dtype == numpy.float16 and b.dtype == numpy.float16:
        return numpy.tensordot(a.astype(numpy.float32), b.astype(numpy.float32),
                               axes).astype(numpy.float16)
    return numpy.tensordot(a, b, axes)


def convolution_nd(x: numpy.ndarray, W: numpy.ndarray, stride: tuple[int, ...],  # noqa: N803
                   padding: tuple[tuple[int, int], ...], dilate: tuple[int, ...],
                   groups: int) -> numpy.ndarray:
    """Convolution of ``x`` (N, C, *in) by ``W`` (O, C / groups, *k), padded by ``padding``.

    A tensordot per group of the strided windows of ``x``, without copying them first.
    """
    nd = W.ndim - 2
    if any(before or after for before, after in padding):
        x = numpy.pad(x, ((0, 0), (0, 0)) + tuple(padding))
    view = _window_view(x, W.shape[2:], stride, dilate)
    c, o = W.shape[1], W.shape[0] // groups
    axes = ((1,) + tuple(range(2 + nd, 2 + 2 * nd)), tuple(range(1, 2 + nd)))
    ys = [_tensordot(view[:, g * c:(g + 1) * c], W[g * o:(g + 1) * o], axes)
          for g in range(groups)]
    y = ys[0] if groups == 1 else numpy.concatenate(ys, axis=-1)
    return numpy.ascontiguousarray(numpy.moveaxis(y, -1, 1))


def deconvolution_nd(x: numpy.ndarray, W: numpy.ndarray, stride: tuple[int, ...],  # noqa: N803
                     pad: tuple[int, ...], outsize: tuple[int, ...], dilate: tuple[int, ...],
                     groups: int) -> numpy.ndarray:
    """Transposed convolution of ``x`` (N, C, *in) by ``W`` (C, O / groups, *k) to ``outsize``.

    A tensordot per group gives the contributions of every kernel offset as
    ``(*k, O, N, *in)``, so that each offset's block is contiguous; each block is
    added to its strided slab of an ``(O, N, *full)`` result, cropped and
    brought back to ``(N, O, *outsize)``.
    """
    nd = W.ndim - 2
    c, ksize, in_size = W.shape[0] // groups, W.shape[2:], x.shape[2:]
    w_offsets_first = numpy.moveaxis(W, (0, 1), (-1, -2))  # (*k, O / groups, C)
    parts = [_tensordot(w_offsets_first[..., g * c:(g + 1) * c], x[:, g * c:(g + 1) * c],
                         ((nd + 1,), (1,))) for g in range(groups)]
    cols = parts[0] if groups == 1 else numpy.concatenate(parts, axis=nd)
    full = tuple(max((n - 1) * s + d * (k - 1) + 1, p + o) for n, k, s, p, d, o in
                 zip(in_size, ksize, stride, pad, dilate, outsize))
    y = numpy.zeros(cols.shape[nd:nd + 2] + full, dtype=cols.dtype)
    for offsets in itertools.product(*(range(k) for k in ksize)):
        slab = tuple(slice(i * d, i * d + (n - 1) * s + 1, s)
                     for i, d, n, s in zip(offsets, dilate, in_size, stride))
        y[(slice(None), slice(None)) + slab] += cols[offsets]
    crop = tuple(slice(p, p + o) for p, o in zip(pad, outsize))
    return numpy.ascontiguousarray(numpy.swapaxes(y[(slice(None), slice(None)) + crop], 0, 1))


def convolution_filter_grad_nd(x: numpy.ndarray, gy: numpy.ndarray,  # noqa: N803
                               ksize: tuple[int, ...], stride: tuple[int, ...],
                               padding: tuple[tuple[int, int], ...], dilate: tuple[int, ...],
                               groups: int) -> numpy.ndarray:
    """The filter gradient (O, C / groups, *k) of a convolution of ``x`` (N, C, *in) with
    output gradient ``gy`` (N, O, *out): a tensordot per group over the strided windows."""
    nd = len(ksize)
    if any(before or after for before, after in padding):
        x = numpy.pad(x, ((0, 0), (0, 0)) + tuple(padding))
    view = _window_view(x, ksize, stride, dilate)  # (N, C, *out, *k)
    c, o = x.shape[1] // groups, gy.shape[1] // groups
    contracted = (0,) + tuple(range(2, 2 + nd))
    parts = [_tensordot(gy[:, g * o:(g + 1) * o], view[:, g * c:(g + 1) * c],
                         (contracted, contracted)) for g in range(groups)]
    return parts[0] if groups == 1 else numpy.concatenate(parts, axis=0)



#: The kernels of the NumPy backend.
KERNELS = {
    kernels.im2col_nd: im2col_nd,
    kernels.window_sum_nd: window_sum_nd,
    kernels.convolution_nd: convolution_nd,
    kernels.deconvolution_nd: deconvolution_nd,
    kernels.convolution_filter_grad_nd: convolution_filter_grad_nd,
    kernels.array_storage: array_storage,
    kernels.strided_view: strided_view,
    **_scipy_kernels(),
}
