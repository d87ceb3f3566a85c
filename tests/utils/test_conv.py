"""``utils.conv`` and ``utils.conv_nd``: output sizes and patch extraction on arrays."""

from __future__ import annotations

import itertools

import numpy
import pytest

from polychain import cuda, utils
from polychain.utils import conv, conv_nd


def test_output_sizes_of_convolution_and_deconvolution():
    assert utils.get_conv_outsize(10, 4, 3, 2) == 4
    assert utils.get_conv_outsize(10, 4, 3, 2, cover_all=True) == 5
    assert utils.get_conv_outsize(10, 3, 1, 0, d=2) == 6
    assert utils.get_deconv_outsize(4, 4, 3, 2) == 9
    assert utils.get_deconv_outsize(5, 4, 3, 2, cover_all=True) == 10
    assert conv_nd.get_conv_outsize is conv.get_conv_outsize


def _reference_im2col(img, ksize, stride, pad, dilate, pval):
    """Window by window, on the host."""
    dims = img.shape[2:]
    outs = tuple(conv.get_conv_outsize(n, k, s, p, d=d)
                 for n, k, s, p, d in zip(dims, ksize, stride, pad, dilate))
    col = numpy.full(img.shape[:2] + tuple(ksize) + outs, pval, img.dtype)
    for offsets in itertools.product(*map(range, ksize)):
        for position in itertools.product(*map(range, outs)):
            source = tuple(o * s - p + k * d for o, s, p, k, d in
                           zip(position, stride, pad, offsets, dilate))
            if all(0 <= i < n for i, n in zip(source, dims)):
                col[(slice(None), slice(None)) + offsets + position] = \
                    img[(slice(None), slice(None)) + source]
    return col


@pytest.mark.parametrize('params', [
    ((2, 3), (1, 2), (1, 0), (1, 1), 0), ((3, 3), (2, 2), (2, 2), (2, 1), 0),
    ((2, 2), (1, 1), (1, 1), (1, 1), -5.0),
])
def test_im2col_reads_each_window_of_the_padded_image(device, params):
    ksize, stride, pad, dilate, pval = params
    img = numpy.random.default_rng(0).uniform(-1, 1, (2, 3, 7, 6)).astype(numpy.float32)
    col = conv.im2col(device.send(img), *ksize, *stride, *pad, pval=pval, dy=dilate[0],
                      dx=dilate[1])
    numpy.testing.assert_array_equal(cuda.to_cpu(col),
                                     _reference_im2col(img, ksize, stride, pad, dilate, pval))


def test_col2im_is_the_adjoint_of_im2col(device):
    rng = numpy.random.default_rng(1)
    img = rng.uniform(-1, 1, (1, 2, 5, 6))
    col = rng.uniform(-1, 1, (1, 2, 3, 2, 3, 4))
    im2col = cuda.to_cpu(conv.im2col_cpu(device.send(img), 3, 2, 2, 2, 1, 1))
    col2im = cuda.to_cpu(conv.col2im_cpu(device.send(col), 2, 2, 1, 1, 5, 6))
    assert col2im.shape == img.shape
    numpy.testing.assert_allclose(numpy.sum(im2col * col), numpy.sum(img * col2im))


@pytest.mark.parametrize('dims', [(7,), (6, 5), (4, 5, 3)])
def test_im2col_nd_and_col2im_nd_in_any_dimension(device, dims):
    ndim = len(dims)
    ksize, stride, pad = (2,) * ndim, (1, 2, 1)[:ndim], (1, 0, 2)[:ndim]
    rng = numpy.random.default_rng(2)
    img = rng.uniform(-1, 1, (2, 1) + dims)
    col = cuda.to_cpu(conv_nd.im2col_nd(device.send(img), ksize, stride, pad))
    numpy.testing.assert_array_equal(col, _reference_im2col(img, ksize, stride, pad,
                                                            (1,) * ndim, 0))
    gcol = rng.uniform(-1, 1, col.shape)
    gimg = cuda.to_cpu(conv_nd.col2im_nd(device.send(gcol), stride, pad, dims))
    numpy.testing.assert_allclose(numpy.sum(col * gcol), numpy.sum(img * gimg))


def test_col2im_nd_reads_the_window_count_of_cover_all():
    col = numpy.ones((1, 1, 2, 3))  # 3 windows of 2 with stride 2 over 5 need cover_all
    img = conv_nd.col2im_nd(col, (2,), (0,), (5,))
    numpy.testing.assert_array_equal(img, [[[1, 1, 1, 1, 1]]])


def test_mismatched_ranks_are_assertion_errors_as_in_chainer():
    img = numpy.zeros((1, 1, 4, 3))
    with pytest.raises(AssertionError):
        conv_nd.im2col_nd_cpu(img, (2,), (1, 1), (0, 0))
    with pytest.raises(AssertionError):
        conv_nd.col2im_nd_cpu(numpy.zeros((1, 1, 2, 3, 2)), (1, 1), (0, 0), (4, 3))
    with pytest.raises(AssertionError):
        conv_nd.as_tuple((1, 2), 3)
    assert conv_nd.as_tuple(2, 3) == (2, 2, 2) and conv_nd.as_tuple([1, 2], 2) == (1, 2)


def test_im2col_checks_a_given_output_size():
    with pytest.raises(ValueError, match='output of size'):
        conv.im2col(numpy.zeros((1, 1, 4, 4)), 2, 2, 1, 1, 0, 0, out_h=5)
