"""Cases of embed_id, bilinear, local_convolution_2d, shift, depthwise_convolution_2d and
deformable_convolution_2d_sampler."""

from __future__ import annotations

import itertools

import numpy

from polychain_conformance.cases.array import bilinear_point
from polychain_conformance.spec import ArrayConstant, Case, Input, Tolerance

_IDS = ArrayConstant([[0, 3, 3], [4, 1, 0]], 'int32')
_IDS_WITH_IGNORED = ArrayConstant([[0, -1, 3], [-1, 1, 3]], 'int32')
# Sums over many products: float16 keeps about three digits.
_LOOSE_FLOAT16 = {'float16': Tolerance(5e-3, 2e-2, 5e-2, 5e-2, 1e-3)}


def _embed_id(x: numpy.ndarray, W: numpy.ndarray,  # noqa: N803
              ignore_label: int | None = None) -> numpy.ndarray:
    y = numpy.zeros(x.shape + (W.shape[1],))
    for index in numpy.ndindex(*x.shape):
        if x[index] != ignore_label:
            y[index] = W[x[index]]
    return y


def _bilinear(e1: numpy.ndarray, e2: numpy.ndarray, W: numpy.ndarray,  # noqa: N803
              V1: numpy.ndarray | None = None, V2: numpy.ndarray | None = None,  # noqa: N803
              b: numpy.ndarray | None = None) -> numpy.ndarray:
    e1, e2 = e1.reshape(len(e1), -1), e2.reshape(len(e2), -1)
    y = numpy.einsum('ij,ik,jkl->il', e1, e2, W)
    if V1 is not None:
        y = y + e1 @ V1 + e2 @ V2 + b
    return y


def _pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else value


def _local_convolution_2d(x: numpy.ndarray, W: numpy.ndarray,  # noqa: N803
                          b: numpy.ndarray | None = None, stride: int = 1) -> numpy.ndarray:
    sy, sx = _pair(stride)
    out_channels, out_h, out_w, _, kh, kw = W.shape
    y = numpy.zeros((len(x), out_channels, out_h, out_w))
    for p, q in itertools.product(range(out_h), range(out_w)):
        patch = x[:, :, p * sy:p * sy + kh, q * sx:q * sx + kw]
        y[:, :, p, q] = numpy.einsum('ncij,ocij->no', patch, W[:, p, q])
    if b is not None:
        y = y + b
    return y


def _depthwise_convolution_2d(x: numpy.ndarray, W: numpy.ndarray,  # noqa: N803
                              b: numpy.ndarray | None = None, stride: int = 1,
                              pad: int = 0) -> numpy.ndarray:
    sy, sx = _pair(stride)
    ph, pw = _pair(pad)
    multiplier, channels, kh, kw = W.shape
    x = numpy.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out_h = (x.shape[2] - kh) // sy + 1
    out_w = (x.shape[3] - kw) // sx + 1
    y = numpy.zeros((len(x), channels, multiplier, out_h, out_w))
    for p, q in itertools.product(range(out_h), range(out_w)):
        patch = x[:, :, p * sy:p * sy + kh, q * sx:q * sx + kw]
        y[:, :, :, p, q] = numpy.einsum('ncij,mcij->ncm', patch, W)
    y = y.reshape(len(x), channels * multiplier, out_h, out_w)
    if b is not None:
        y = y + b[:, None, None]
    return y


def _deformable_convolution_2d_sampler(x, offset, W, b=None, stride=1, pad=0):  # noqa: N803
    (sy, sx), (ph, pw) = _pair(stride), _pair(pad)
    kh, kw = W.shape[2:]
    padded = numpy.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, out_h, out_w = offset.shape[0], offset.shape[2], offset.shape[3]
    y = numpy.zeros((n, W.shape[0], out_h, out_w))
    for b_, i, j, oy, ox in itertools.product(range(n), range(kh), range(kw), range(out_h),
                                              range(out_w)):
        k = i * kw + j
        sample = bilinear_point(padded[b_], ox * sx + j + offset[b_, k, oy, ox],
                                oy * sy + i + offset[b_, kh * kw + k, oy, ox])
        y[b_, :, oy, ox] += W[:, :, i, j] @ sample
    return y if b is None else y + b[None, :, None, None]


def _shift(x: numpy.ndarray, ksize: int | tuple[int, int] = 3,
           dilate: int | tuple[int, int] = 1) -> numpy.ndarray:
    kh, kw = _pair(ksize)
    dy, dx = _pair(dilate)
    n_groups = kh * kw
    group_size = x.shape[1] // n_groups
    groups = list(range(n_groups))
    center = (n_groups - 1) // 2
    groups[center], groups[-1] = groups[-1], groups[center]
    height, width = x.shape[2:]
    y = numpy.zeros_like(x)
    for i, group in enumerate(groups):
        move_y = (group // kw - kh // 2) * dy
        move_x = (group % kw - kw // 2) * dx
        channels = slice(i * group_size, None if i == n_groups - 1 else (i + 1) * group_size)
        for h, w in itertools.product(range(height), range(width)):
            if 0 <= h - move_y < height and 0 <= w - move_x < width:
                y[:, channels, h, w] = x[:, channels, h - move_y, w - move_x]
    return y


CASES: tuple[Case, ...] = (
    Case('embed_id', (_IDS, Input((5, 3))), _embed_id, strided=True),
    Case('embed_id', (_IDS_WITH_IGNORED, Input((5, 3))), _embed_id,
         name='embed_id_ignore_label', kwargs={'ignore_label': -1}),
    Case('bilinear', (Input((4, 3)), Input((4, 2)), Input((3, 2, 5)), Input((3, 5)),
                      Input((2, 5)), Input((5,))), _bilinear, strided=True),
    Case('bilinear', (Input((4, 3)), Input((4, 2)), Input((3, 2, 5))), _bilinear,
         name='bilinear_no_linear_terms'),
    Case('bilinear', (Input((4, 3, 2)), Input((4, 2)), Input((6, 2, 3))), _bilinear,
         name='bilinear_flattened_inputs'),
    Case('local_convolution_2d', (Input((2, 3, 5, 4)), Input((2, 3, 2, 3, 3, 3)),
                                  Input((2, 3, 2))), _local_convolution_2d,
         tolerances=_LOOSE_FLOAT16, strided=True),
    Case('local_convolution_2d', (Input((2, 2, 6, 5)), Input((3, 3, 2, 2, 2, 2))),
         _local_convolution_2d, name='local_convolution_2d_stride_no_bias',
         kwargs={'stride': 2}, tolerances=_LOOSE_FLOAT16),
    Case('depthwise_convolution_2d', (Input((2, 3, 5, 4)), Input((2, 3, 3, 2)), Input((6,))),
         _depthwise_convolution_2d, tolerances=_LOOSE_FLOAT16, strided=True),
    Case('depthwise_convolution_2d', (Input((2, 2, 6, 5)), Input((3, 2, 3, 3))),
         _depthwise_convolution_2d, name='depthwise_convolution_2d_stride_pad_no_bias',
         kwargs={'stride': (2, 1), 'pad': 1}, tolerances=_LOOSE_FLOAT16),
    # Offsets off the integers (the sampling's kinks) by at least 0.05.
    Case('deformable_convolution_2d_sampler',
         (Input((2, 3, 4, 5)), Input((2, 8, 5, 6), low=-0.95, high=0.95, gap=0.05),
          Input((4, 3, 2, 2)), Input((4,))), _deformable_convolution_2d_sampler,
         kwargs={'pad': 1}, tolerances=_LOOSE_FLOAT16, strided=True),
    Case('deformable_convolution_2d_sampler',
         (Input((2, 2, 5, 6)), Input((2, 6, 2, 4), low=-0.95, high=0.95, gap=0.05),
          Input((3, 2, 3, 1))), _deformable_convolution_2d_sampler,
         name='deformable_convolution_2d_sampler_stride_no_bias',
         kwargs={'stride': (2, 1)}, tolerances=_LOOSE_FLOAT16),
    Case('shift', (Input((2, 11, 4, 5)),), _shift, strided=True),
    Case('shift', (Input((2, 7, 5, 6)),), _shift, name='shift_dilated_rectangular',
         kwargs={'ksize': (3, 1), 'dilate': (2, 3)}),
)
