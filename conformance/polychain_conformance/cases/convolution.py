"""Cases of the convolution and deconvolution functions, against direct loops over windows."""

from __future__ import annotations

import itertools
from typing import Any

import numpy

from polychain_conformance.spec import Case, Input, Tolerance


def _spatial(value: Any, ndim: int) -> tuple[int, ...]:
    return (value,) * ndim if isinstance(value, int) else tuple(value)


def _window_starts(in_size: tuple[int, ...], ksize: tuple[int, ...], stride: tuple[int, ...],
                   pad: tuple[int, ...], dilate: tuple[int, ...],
                   cover_all: bool) -> tuple[int, ...]:
    """Number of windows per axis (Chainer's ``get_conv_outsize``)."""
    return tuple((n + 2 * p - d * (k - 1) - 1 + (s - 1 if cover_all else 0)) // s + 1
                 for n, k, s, p, d in zip(in_size, ksize, stride, pad, dilate))


def _offsets(position: tuple[int, ...], offset: tuple[int, ...], stride: tuple[int, ...],
             dilate: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(q * s + i * d for q, i, s, d in zip(position, offset, stride, dilate))


def _convolution(x: numpy.ndarray, W: numpy.ndarray, b: numpy.ndarray | None = None,  # noqa: N803
                 stride: Any = 1, pad: Any = 0, cover_all: bool = False, dilate: Any = 1,
                 groups: int = 1) -> numpy.ndarray:
    """``y[n, o, q] = b[o] + sum_{c, i} W[o, c, i] x_pad[n, group(o) + c, q * s + i * d]``."""
    ndim = x.ndim - 2
    stride, pad, dilate = (_spatial(v, ndim) for v in (stride, pad, dilate))
    ksize = W.shape[2:]
    out_size = _window_starts(x.shape[2:], ksize, stride, pad, dilate, cover_all)
    padded = numpy.pad(x, ((0, 0), (0, 0)) + tuple((p, p + s) for p, s in zip(pad, stride)))
    in_group, out_group = x.shape[1] // groups, W.shape[0] // groups
    y = numpy.zeros((x.shape[0], W.shape[0]) + out_size)
    for position in itertools.product(*(range(n) for n in out_size)):
        for offset in itertools.product(*(range(k) for k in ksize)):
            pixel = padded[(slice(None), slice(None)) + _offsets(position, offset, stride, dilate)]
            for g in range(groups):
                w = W[(slice(g * out_group, (g + 1) * out_group), slice(None)) + offset]
                y[(slice(None), slice(g * out_group, (g + 1) * out_group)) + position] += (
                    pixel[:, g * in_group:(g + 1) * in_group] @ w.T)
    if b is not None:
        y += b.reshape((1, -1) + (1,) * ndim)
    return y


def _deconvolution(x: numpy.ndarray, W: numpy.ndarray, b: numpy.ndarray | None = None,  # noqa: N803
                   stride: Any = 1, pad: Any = 0, outsize: Any = None, dilate: Any = 1,
                   groups: int = 1) -> numpy.ndarray:
    """Each input element adds ``x[n, c, q] * W[c, o, i]`` at ``q * s + i * d - p``."""
    ndim = x.ndim - 2
    stride, pad, dilate = (_spatial(v, ndim) for v in (stride, pad, dilate))
    ksize, in_size = W.shape[2:], x.shape[2:]
    if outsize is None:
        outsize = tuple(s * (n - 1) + d * (k - 1) + 1 - 2 * p for n, k, s, p, d in
                        zip(in_size, ksize, stride, pad, dilate))
    outsize = _spatial(outsize, ndim)
    full = tuple(max((n - 1) * s + d * (k - 1) + 1, p + o) for n, k, s, p, d, o in
                 zip(in_size, ksize, stride, pad, dilate, outsize))
    in_group, out_group = x.shape[1] // groups, W.shape[1]
    y = numpy.zeros((x.shape[0], out_group * groups) + full)
    for position in itertools.product(*(range(n) for n in in_size)):
        for offset in itertools.product(*(range(k) for k in ksize)):
            target = _offsets(position, offset, stride, dilate)
            for g in range(groups):
                pixel = x[(slice(None), slice(g * in_group, (g + 1) * in_group)) + position]
                w = W[(slice(g * in_group, (g + 1) * in_group), slice(None)) + offset]
                y[(slice(None), slice(g * out_group, (g + 1) * out_group)) + target] += pixel @ w
    y = y[(slice(None), slice(None)) + tuple(slice(p, p + o) for p, o in zip(pad, outsize))]
    if b is not None:
        y = y + b.reshape((1, -1) + (1,) * ndim)
    return y


def _dilated_convolution(x: numpy.ndarray, W: numpy.ndarray,  # noqa: N803
                         b: numpy.ndarray | None = None, stride: Any = 1, pad: Any = 0,
                         dilate: Any = 1, cover_all: bool = False) -> numpy.ndarray:
    return _convolution(x, W, b, stride, pad, cover_all, dilate)


# Sums of a few dozen products: float16 rounds each of them.
_SUMS = {'float16': Tolerance(5e-3, 5e-3, 5e-2, 5e-2, 1e-2)}


def _conv(function: str, x: tuple[int, ...], w: tuple[int, ...], bias: bool = True,
          name: str = '', reference: Any = _convolution, **kwargs: Any) -> Case:
    """A case of ``function`` on an input of shape ``x`` and a filter of shape ``w``."""
    bias_channels = w[0] if reference is not _deconvolution else \
        w[1] * kwargs.get('groups', 1)
    args = (Input(x), Input(w)) + ((Input((bias_channels,)),) if bias else ())
    return Case(function, args, reference, name=name or function, kwargs=kwargs,
                tolerances=_SUMS, strided=not name)


CASES: tuple[Case, ...] = (
    _conv('convolution_2d', (2, 3, 5, 4), (4, 3, 3, 2), stride=(2, 1), pad=1),
    _conv('convolution_2d', (2, 2, 5, 5), (3, 2, 2, 2), name='convolution_2d_cover_all',
          stride=2, cover_all=True),
    _conv('convolution_2d', (1, 4, 6, 5), (4, 2, 2, 2), bias=False,
          name='convolution_2d_groups_dilate', dilate=2, groups=2, pad=(0, 1)),
    _conv('convolution_1d', (2, 3, 7), (4, 3, 3), stride=2, pad=1),
    _conv('convolution_3d', (1, 2, 4, 3, 4), (3, 2, 2, 2, 3), stride=(1, 2, 1), pad=(0, 1, 1)),
    _conv('convolution_nd', (2, 4, 6), (2, 2, 2), name='convolution_nd_1d_groups', groups=2,
          dilate=2),
    _conv('convolution_nd', (1, 2, 3, 5, 4), (2, 2, 2, 3, 2), bias=False,
          name='convolution_nd_3d_cover_all', stride=2, cover_all=True),
    _conv('dilated_convolution_2d', (2, 2, 6, 5), (3, 2, 2, 2), reference=_dilated_convolution,
          pad=1, dilate=2),
    _conv('deconvolution_2d', (2, 3, 3, 4), (3, 2, 3, 2), reference=_deconvolution,
          stride=(2, 1), pad=1),
    # outsize (7, 7): one more row and column than the default, which no window reaches
    _conv('deconvolution_2d', (2, 2, 3, 3), (2, 3, 2, 2), reference=_deconvolution,
          name='deconvolution_2d_outsize', stride=2, outsize=(7, 7)),
    # outsize (6, 6): the adjoint of a cover_all convolution
    _conv('deconvolution_2d', (2, 2, 3, 3), (2, 3, 3, 2), reference=_deconvolution,
          name='deconvolution_2d_cover_all', stride=2, outsize=(6, 6)),
    _conv('deconvolution_2d', (1, 4, 3, 4), (4, 1, 2, 2), bias=False, reference=_deconvolution,
          name='deconvolution_2d_groups_dilate', dilate=2, groups=2),
    _conv('deconvolution_1d', (2, 3, 4), (3, 2, 3), reference=_deconvolution, stride=2, pad=1),
    _conv('deconvolution_3d', (1, 2, 2, 3, 2), (2, 2, 2, 2, 3), reference=_deconvolution,
          stride=(2, 1, 1), pad=(0, 0, 1)),
    _conv('deconvolution_nd', (2, 4, 3), (4, 1, 2), reference=_deconvolution,
          name='deconvolution_nd_1d_groups', groups=2, stride=3, outsize=(7,)),
)
