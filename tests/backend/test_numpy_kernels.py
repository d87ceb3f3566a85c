"""The NumPy backend's fast ``im2col_nd`` kernel against a plain loop."""

from __future__ import annotations

import itertools

import numpy
import pytest

import polychain
from polychain.backend import kernels
from polychain_numpy.kernels import im2col_nd


def _output_size(size, k, s, p, d):
    return (size + 2 * p - (d * (k - 1) + 1)) // s + 1


def im2col_loop(x, ksize, stride, pad, dilate, pad_value=0):
    """Patches (N, C, *ksize, *out_size) computed one element at a time."""
    n, c, *spatial = x.shape
    out_size = [_output_size(*args) for args in zip(spatial, ksize, stride, pad, dilate)]
    padded = numpy.full([n, c] + [size + 2 * p for size, p in zip(spatial, pad)], pad_value,
                        dtype=x.dtype)
    padded[(slice(None), slice(None)) + tuple(slice(p, p + size)
                                              for p, size in zip(pad, spatial))] = x
    col = numpy.empty([n, c, *ksize, *out_size], dtype=x.dtype)
    for offsets in itertools.product(*(range(k) for k in ksize)):
        for position in itertools.product(*(range(o) for o in out_size)):
            source = tuple(o * s + k * d
                           for o, s, k, d in zip(position, stride, offsets, dilate))
            col[(slice(None), slice(None)) + offsets + position] = \
                padded[(slice(None), slice(None)) + source]
    return col


def padded(x, pad, pad_value=0):
    """``x`` padded on both sides of its spatial axes, as the callers of the kernel do."""
    widths = ((0, 0), (0, 0)) + tuple((p, p) for p in pad)
    return numpy.pad(x, widths, constant_values=pad_value)


CASES = [
    # shape, ksize, stride, pad, dilate
    ((2, 3, 7), (3,), (1,), (0,), (1,)),
    ((1, 2, 9), (2,), (3,), (2,), (2,)),
    ((2, 3, 5, 6), (3, 3), (1, 1), (1, 1), (1, 1)),
    ((1, 2, 8, 7), (3, 2), (2, 3), (1, 0), (1, 1)),
    ((2, 1, 9, 9), (3, 3), (2, 2), (2, 1), (2, 3)),
    ((1, 2, 4, 5, 6), (2, 3, 2), (1, 2, 2), (1, 0, 1), (2, 1, 1)),
]


@pytest.mark.parametrize('shape, ksize, stride, pad, dilate', CASES)
def test_im2col_nd_matches_the_loop(rng, shape, ksize, stride, pad, dilate):
    x = rng.standard_normal(shape).astype(numpy.float32)
    col = im2col_nd(padded(x, pad), ksize, stride, dilate)
    expected = im2col_loop(x, ksize, stride, pad, dilate)
    assert col.shape == expected.shape
    assert col.dtype == numpy.float32
    numpy.testing.assert_array_equal(col, expected)


def test_im2col_nd_keeps_the_pad_value(rng):
    x = rng.standard_normal((1, 1, 4, 4))
    col = im2col_nd(padded(x, (1, 1), -numpy.inf), (2, 2), (2, 2), (1, 1))
    numpy.testing.assert_array_equal(col, im2col_loop(x, (2, 2), (2, 2), (1, 1), (1, 1),
                                                      pad_value=-numpy.inf))
    assert numpy.isneginf(col[0, 0, 0, 0, 0, 0])


def test_im2col_nd_result_does_not_alias_the_input(rng):
    x = rng.standard_normal((1, 1, 3, 3))
    col = im2col_nd(x, (2, 2), (1, 1), (1, 1))
    col[...] = 0
    assert numpy.count_nonzero(x) == x.size


def test_numpy_device_offers_the_kernel_by_name():
    assert polychain.get_device('@numpy').kernel(kernels.im2col_nd) is im2col_nd
    assert polychain.get_device('@numpy').kernel('im2col_nd') is im2col_nd
    assert polychain.get_device('@numpy').kernel('no_such_kernel') is None
