"""Cases of the array manipulation functions (shapes, joins, indexing, padding, resampling)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy

from polychain_conformance.spec import Arg, ArrayConstant, Case, DeviceUnderTest, Input, Tolerance


def _depth2space(x: numpy.ndarray, r: int) -> numpy.ndarray:
    n, channels, h, w = x.shape
    c = channels // (r * r)
    y = numpy.zeros((n, c, h * r, w * r))
    for i, j in itertools.product(range(r), range(r)):
        y[:, :, i::r, j::r] = x[:, (i * r + j) * c:(i * r + j + 1) * c]
    return y


def _space2depth(x: numpy.ndarray, r: int) -> numpy.ndarray:
    n, c, height, width = x.shape
    y = numpy.zeros((n, c * r * r, height // r, width // r))
    for i, j in itertools.product(range(r), range(r)):
        y[:, (i * r + j) * c:(i * r + j + 1) * c] = x[:, :, i::r, j::r]
    return y


def _im2col(x: numpy.ndarray, ksize: int, stride: int = 1, pad: int = 0,
            cover_all: bool = False, dilate: int = 1) -> numpy.ndarray:
    n, c, h, w = x.shape
    extent = dilate * (ksize - 1) + 1
    extra = stride - 1 if cover_all else 0
    out_h = (h + 2 * pad - extent + extra) // stride + 1
    out_w = (w + 2 * pad - extent + extra) // stride + 1
    padded = numpy.zeros((n, c, h + 2 * pad + extra, w + 2 * pad + extra))
    padded[:, :, pad:pad + h, pad:pad + w] = x
    y = numpy.zeros((n, c, ksize, ksize, out_h, out_w))
    for i, j, p, q in itertools.product(range(ksize), range(ksize), range(out_h), range(out_w)):
        y[:, :, i, j, p, q] = padded[:, :, p * stride + i * dilate, q * stride + j * dilate]
    return y.reshape(n, c * ksize * ksize, out_h, out_w)


def _bilinear_1d(x: numpy.ndarray, axis: int, out: int, align_corners: bool) -> numpy.ndarray:
    size = x.shape[axis]
    moved = numpy.moveaxis(x, axis, 0)
    y = numpy.zeros((out,) + moved.shape[1:])
    for i in range(out):
        if align_corners:
            position = i * (size - 1) / (out - 1) if out > 1 else 0.0
        else:
            position = max((i + 0.5) * size / out - 0.5, 0.0)
        low = min(int(numpy.floor(position)), size - 1)
        high = min(low + 1, size - 1)
        weight = position - low
        y[i] = (1 - weight) * moved[low] + weight * moved[high]
    return numpy.moveaxis(y, 0, axis)


def _spatial_transformer_grid(theta: numpy.ndarray, output_shape: tuple[int, int]):
    height, width = output_shape
    xs, ys = numpy.meshgrid(numpy.linspace(-1, 1, width), numpy.linspace(-1, 1, height))
    return numpy.einsum('nij,jhw->nihw', theta, numpy.stack([xs, ys, numpy.ones_like(xs)]))


def bilinear_point(image: numpy.ndarray, u: float, v: float) -> numpy.ndarray:
    """``image`` (C, H, W) interpolated at column ``u``, row ``v``; zero outside, clamped
    one pixel beyond the border."""
    _, height, width = image.shape
    u, v = min(max(u, -1.0), width), min(max(v, -1.0), height)
    u0, v0 = min(numpy.floor(u), width - 1), min(numpy.floor(v), height - 1)
    value = numpy.zeros(image.shape[0])
    for row, weight_v in ((v0, v0 + 1 - v), (v0 + 1, v - v0)):
        for col, weight_u in ((u0, u0 + 1 - u), (u0 + 1, u - u0)):
            if 0 <= row < height and 0 <= col < width:
                value += weight_v * weight_u * image[:, int(row), int(col)]
    return value


# float16 coordinates put the samples up to a few thousandths of a pixel off.
_SAMPLER_FLOAT16 = {'float16': Tolerance(5e-3, 1e-2, 1e-2, 1e-2, 1e-3)}


def _spatial_transformer_sampler(x: numpy.ndarray, grid: numpy.ndarray) -> numpy.ndarray:
    n, c, height, width = x.shape
    y = numpy.zeros((n, c) + grid.shape[2:])
    for b, i, j in itertools.product(range(n), *(range(s) for s in grid.shape[2:])):
        u = (grid[b, 0, i, j] + 1) * (width - 1) / 2
        v = (grid[b, 1, i, j] + 1) * (height - 1) / 2
        y[b, :, i, j] = bilinear_point(x[b], u, v)
    return y


def _resize_images(x: numpy.ndarray, output_shape: tuple[int, int], mode: str = 'bilinear',
                   align_corners: bool = True) -> numpy.ndarray:
    if mode == 'nearest':
        rows = numpy.round(numpy.linspace(0, x.shape[2] - 1, output_shape[0])).astype(int)
        cols = numpy.round(numpy.linspace(0, x.shape[3] - 1, output_shape[1])).astype(int)
        return x[:, :, rows][:, :, :, cols]
    y = _bilinear_1d(x, 2, output_shape[0], align_corners)
    return _bilinear_1d(y, 3, output_shape[1], align_corners)


def _scatter_add(a: numpy.ndarray, slices: Any, b: numpy.ndarray) -> numpy.ndarray:
    y = a.copy()
    numpy.add.at(y, slices, b)
    return y


def _split_axis(x: numpy.ndarray, indices_or_sections: Any, axis: int) -> list[numpy.ndarray]:
    return numpy.split(x, indices_or_sections, axis)


def _as_strided(x: numpy.ndarray, shape: tuple[int, ...], strides: tuple[int, ...],
                offset: int) -> numpy.ndarray:
    """NumPy's ``as_strided`` over the elements of ``x`` in row-major order."""
    flat = numpy.ascontiguousarray(x).reshape(-1)
    return numpy.lib.stride_tricks.as_strided(flat[offset:], shape,
                                              tuple(s * flat.itemsize for s in strides)).copy()


def _permutate(x: numpy.ndarray, indices: numpy.ndarray, axis: int = 0,
               inv: bool = False) -> numpy.ndarray:
    return numpy.take(x, numpy.argsort(indices) if inv else indices, axis=axis)


def _pad_sequence(xs: list[numpy.ndarray], length: int | None = None,
                  padding: float = 0) -> numpy.ndarray:
    length = length or max(len(x) for x in xs)
    y = numpy.full((len(xs), length) + xs[0].shape[1:], float(padding))
    for i, x in enumerate(xs):
        y[i, :len(x)] = x
    return y


def _transpose_sequence(xs: list[numpy.ndarray]) -> list[numpy.ndarray]:
    return [numpy.stack([x[t] for x in xs if len(x) > t]) for t in range(len(xs[0]))]


_X = Input((3, 4))
_X3 = Input((2, 3, 4))
_IMAGES = Input((2, 3, 5, 6))
_MASK = ArrayConstant([[True, False, True, True], [False, False, True, False],
                       [True, True, False, True]], 'bool')

CASES: tuple[Case, ...] = (
    # broadcasting and dtypes
    Case('broadcast', (Input((3, 1)), Input((1, 4)), Input((4,))), numpy.broadcast_arrays),
    Case('cast', (_X, Arg('float64')), lambda x, typ: x.astype(typ), name='cast_to_float64',
         dtypes=('float16', 'float32'), output_dtypes=('float64',)),
    Case('copy', (_X, DeviceUnderTest()), lambda x, dst: x, strided=True),
    # joins and splits
    Case('concat', (Input((2, 3)), Input((2, 1)), Input((2, 4))),
         lambda xs: numpy.concatenate(xs, axis=1), pack_leading=3, strided=True),
    Case('concat', (_X3, _X3), lambda xs, axis: numpy.concatenate(xs, axis=axis),
         name='concat_axis0', kwargs={'axis': 0}, pack_leading=2),
    Case('stack', (_X, _X, _X), lambda xs, axis: numpy.stack(xs, axis=axis),
         kwargs={'axis': 1}, pack_leading=3),
    Case('hstack', (_X, Input((3, 2))), numpy.hstack, pack_leading=2),
    Case('hstack', (Input((4,)), Input((2,))), numpy.hstack, name='hstack_1d', pack_leading=2),
    Case('vstack', (_X, Input((2, 4))), numpy.vstack, pack_leading=2),
    Case('vstack', (Input((4,)), Input((4,))), numpy.vstack, name='vstack_1d', pack_leading=2),
    Case('dstack', (_X, _X), numpy.dstack, pack_leading=2),
    Case('dstack', (Input((4,)), Input((4,))), numpy.dstack, name='dstack_1d', pack_leading=2),
    Case('split_axis', (_X3, Arg([1, 3]), Arg(2)), _split_axis, strided=True),
    Case('split_axis', (_X3, Arg(2), Arg(0)), _split_axis, name='split_axis_sections'),
    Case('separate', (_X3,), lambda x, axis: tuple(numpy.moveaxis(x, axis, 0)),
         kwargs={'axis': 1}),
    Case('transpose_sequence', (Input((3, 2)), Input((3, 2)), Input((1, 2))),
         _transpose_sequence, pack_leading=3),
    Case('pad_sequence', (Input((3, 2)), Input((1, 2)), Input((2, 2))), _pad_sequence,
         kwargs={'length': 4, 'padding': -1.0}, pack_leading=3),
    # shapes and axes
    Case('expand_dims', (_X, Arg(1)), numpy.expand_dims),
    Case('expand_dims', (_X, Arg(-1)), numpy.expand_dims, name='expand_dims_negative'),
    Case('squeeze', (Input((3, 1, 4, 1)),), numpy.squeeze),
    Case('squeeze', (Input((3, 1, 4, 1)),), numpy.squeeze, name='squeeze_axis',
         kwargs={'axis': 1}),
    Case('flatten', (_X3,), numpy.ravel, strided=True),
    Case('swapaxes', (_X3, Arg(0), Arg(2)), numpy.swapaxes, strided=True),
    Case('moveaxis', (_X3, Arg(0), Arg(-1)), numpy.moveaxis),
    Case('moveaxis', (_X3, Arg((0, 1)), Arg((2, 0))), numpy.moveaxis, name='moveaxis_several'),
    Case('rollaxis', (_X3, Arg(2)), numpy.rollaxis),
    Case('rollaxis', (_X3, Arg(0), Arg(2)), numpy.rollaxis, name='rollaxis_start'),
    Case('depth2space', (Input((2, 8, 2, 3)), Arg(2)), _depth2space),
    Case('space2depth', (Input((2, 2, 4, 6)), Arg(2)), _space2depth),
    # reordering and copying elements
    Case('flip', (_X3, Arg(1)), numpy.flip, strided=True),
    Case('fliplr', (_X,), numpy.fliplr),
    Case('flipud', (_X,), numpy.flipud),
    Case('diagonal', (_X,), numpy.diagonal),
    Case('diagonal', (_X3,), numpy.diagonal, name='diagonal_offset_axes',
         kwargs={'offset': -1, 'axis1': 2, 'axis2': 1}),
    Case('tile', (_X, Arg((2, 1, 2))), numpy.tile, strided=True),
    Case('repeat', (_X, Arg(2)), numpy.repeat, kwargs={'axis': 1}, strided=True),
    Case('repeat', (_X, Arg([1, 0, 2])), numpy.repeat, name='repeat_counts',
         kwargs={'axis': 0}),
    Case('repeat', (_X, Arg(2)), numpy.repeat, name='repeat_flat'),
    Case('permutate', (_X3, ArrayConstant([2, 0, 1])), _permutate, kwargs={'axis': 1}),
    # overlapping windows of the 12 elements, and a reversed walk over them
    Case('as_strided', (Input((3, 4)), Arg((3, 3)), Arg((2, 1)), Arg(1)), _as_strided),
    Case('as_strided', (Input((3, 4)), Arg((2, 5)), Arg((-1, -2)), Arg(11)), _as_strided,
         name='as_strided_backwards'),
    Case('permutate', (_X3, ArrayConstant([2, 0, 1])), _permutate, name='permutate_inverse',
         kwargs={'axis': 1, 'inv': True}),
    # indexing
    Case('select_item', (_X, ArrayConstant([0, 3, 1])),
         lambda x, t: x[numpy.arange(len(t)), t]),
    Case('scatter_add', (Input((4, 3)), Arg(ArrayConstant([0, 2, 0])), Input((3, 3))),
         _scatter_add),
    Case('scatter_add', (Input((4, 3)), Arg((slice(1, 3), 1)), Input((2,))), _scatter_add,
         name='scatter_add_slices'),
    Case('where', (_MASK, _X, _X), numpy.where, strided=True),
    Case('where', (_MASK, _X, Input((4,))), numpy.where, name='where_broadcast'),
    # padding and resampling
    Case('pad', (_X, Arg(((1, 2), (0, 1))), Arg('constant')), numpy.pad,
         kwargs={'constant_values': 0.5}, strided=True),
    Case('pad', (_X3, Arg(1), Arg('constant')), numpy.pad, name='pad_all_axes'),
    Case('im2col', (_IMAGES, Arg(3)), _im2col, kwargs={'stride': 2, 'pad': 1}, strided=True),
    Case('im2col', (_IMAGES, Arg(2)), _im2col, name='im2col_cover_all',
         kwargs={'stride': 2, 'cover_all': True}),
    Case('im2col', (_IMAGES, Arg(2)), _im2col, name='im2col_dilate', kwargs={'dilate': 2}),
    Case('resize_images', (Input((2, 3, 3, 4)), Arg((5, 7))), _resize_images, strided=True),
    Case('resize_images', (Input((2, 3, 4, 6)), Arg((3, 4))), _resize_images,
         name='resize_images_shrink'),
    Case('resize_images', (Input((2, 3, 3, 4)), Arg((5, 7))), _resize_images,
         name='resize_images_unaligned', kwargs={'align_corners': False}),
    Case('resize_images', (Input((2, 3, 3, 4)), Arg((5, 7))), _resize_images,
         name='resize_images_nearest', kwargs={'mode': 'nearest'}),
    Case('spatial_transformer_grid', (Input((3, 2, 3)), Arg((4, 5))), _spatial_transformer_grid,
         strided=True),
    # On a 3x3 image a coordinate g samples column g + 1: these stay inside one pixel's cell.
    Case('spatial_transformer_sampler', (Input((2, 3, 3, 3)),
                                         Input((2, 2, 4, 5), low=-0.95, high=0.95, gap=0.05)),
         _spatial_transformer_sampler, strided=True, tolerances=_SAMPLER_FLOAT16),
    # Points around and beyond the border (zero padding); the grid's gradient has kinks there.
    Case('spatial_transformer_sampler', (Input((2, 3, 3, 4)),
                                         Input((2, 2, 4, 5), low=-2.5, high=2.5, raw=True)),
         _spatial_transformer_sampler, name='spatial_transformer_sampler_border',
         tolerances=_SAMPLER_FLOAT16),
)
