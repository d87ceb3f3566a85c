"""Chainer semantics of the ROI pooling functions beyond the conformance catalogue."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host


def test_roi_max_pooling_empty_bins_are_zero_and_get_no_gradient(device):
    x = polychain.Variable(device.send(numpy.arange(1.0, 13.0).reshape(1, 1, 3, 4)))
    # Scaled box (0, 2)-(3, 6): the second column bin lies right of the input.
    rois = device.send(numpy.array([[0.0, 2.0, 3.0, 6.0]]))
    y = F.roi_max_pooling_2d(x, rois, device.send(numpy.array([0], 'int32')), (1, 2), 1.0)
    numpy.testing.assert_array_equal(to_host(y.array), [[[[12.0, 0.0]]]])
    y.grad = device.xp.ones(y.shape, dtype=y.dtype, device=device.native)
    y.backward()
    expected = numpy.zeros((1, 1, 3, 4))
    expected[0, 0, 2, 3] = 1.0
    numpy.testing.assert_array_equal(to_host(x.grad), expected)


def test_roi_pooling_2d_includes_the_end_coordinates(device):
    x = device.send(numpy.arange(16.0).reshape(1, 1, 4, 4))
    rois = device.send(numpy.array([[0.0, 0.0, 0.0, 1.0, 1.0]]))  # a 2x2 box: ends included
    y = F.roi_pooling_2d(x, rois, 1, 1, 1.0)
    numpy.testing.assert_array_equal(to_host(y.array), [[[[5.0]]]])
    average = F.roi_average_pooling_2d(x, device.send(numpy.array([[0.0, 0.0, 2.0, 2.0]])),
                                       device.send(numpy.array([0], 'int32')), 1, 1.0)
    numpy.testing.assert_allclose(to_host(average.array), [[[[2.5]]]])


def test_roi_functions_take_rois_as_variables(device):
    x = device.send(numpy.ones((1, 2, 4, 4)))
    rois = polychain.Variable(device.send(numpy.array([[0.0, 0.0, 4.0, 4.0]])))
    indices = polychain.Variable(device.send(numpy.array([0], 'int32')))
    assert F.roi_average_pooling_2d(x, rois, indices, 2, 1.0).shape == (1, 2, 2, 2)


def test_roi_average_align_interpolates_bilinearly_at_the_bin_centres(device):
    x = device.send(numpy.arange(16.0).reshape(1, 1, 4, 4))  # x[h, w] = 4 h + w: linear
    rois = device.send(numpy.array([[0.5, 1.0, 2.5, 3.0]]))
    y = F.roi_average_align_2d(x, rois, device.send(numpy.array([0], 'int32')), 1, 1.0,
                               sampling_ratio=1)
    numpy.testing.assert_allclose(to_host(y.array), [[[[4 * 1.5 + 2.0]]]])


def test_roi_average_align_counts_samples_outside_the_input_as_zero(device):
    x = device.send(numpy.ones((1, 1, 4, 4)))
    # Two samples per bin along W: one at x = -2 (outside [-1, 4]), one at x = 0 (inside).
    rois = device.send(numpy.array([[0.0, -3.0, 2.0, 1.0]]))
    y = F.roi_average_align_2d(x, rois, device.send(numpy.array([0], 'int32')), 1, 1.0,
                               sampling_ratio=(1, 2))
    numpy.testing.assert_allclose(to_host(y.array), [[[[0.5]]]])


@pytest.mark.parametrize('call, error, message', [
    (lambda x, r, i: F.roi_average_align_2d(x, r, i, 2, 1.0, sampling_ratio=0), TypeError,
     'roi_average_align_2d: expected an int >= 1, None or a pair of them as sampling_ratio'),
    (lambda x, r, i: F.roi_max_pooling_2d(x, r, i, 0, 1.0), TypeError,
     'roi_max_pooling_2d: expected a positive int or a pair of positive ints as outsize'),
    (lambda x, r, i: F.roi_average_pooling_2d(x, r[:, :3], i, 2, 1.0), ValueError,
     r'roi_average_pooling_2d: expected rois of shape \(R, 4\)'),
    (lambda x, r, i: F.roi_max_pooling_2d(x, r, i[:0], 2, 1.0), ValueError,
     r'roi_max_pooling_2d: expected roi_indices of shape \(1,\)'),
    (lambda x, r, i: F.roi_pooling_2d(x, r, 2, 2, 1.0), ValueError,
     r'roi_pooling_2d: expected rois of shape \(R, 5\)'),
    (lambda x, r, i: F.roi_pooling_2d(x[0], r, 2, 2, 1.0), ValueError,
     r'roi_pooling_2d: expected an input x of shape \(N, C, H, W\)'),
])
def test_invalid_roi_arguments_name_the_function(call, error, message):
    x = numpy.zeros((1, 2, 4, 4))
    rois = numpy.array([[0.0, 0.0, 2.0, 2.0]])
    with pytest.raises(error, match=message):
        call(x, rois, numpy.array([0], 'int32'))


def test_roi_sizes_may_be_numpy_integers(device):
    # Chainer's tests pass outsize and sampling_ratio as NumPy integers.
    x = device.send(numpy.arange(32, dtype='float32').reshape(1, 2, 4, 4))
    rois = device.send(numpy.array([[0, 0, 3, 3]], 'float32'))
    indices = device.send(numpy.zeros(1, 'int32'))
    pair = (numpy.int32(2), numpy.int64(2))
    for function in (F.roi_max_pooling_2d, F.roi_average_pooling_2d):
        numpy.testing.assert_array_equal(to_host(function(x, rois, indices, pair, 1.0).array),
                                         to_host(function(x, rois, indices, 2, 1.0).array))
    numpy.testing.assert_array_equal(
        to_host(F.roi_average_align_2d(x, rois, indices, pair, 1.0, pair).array),
        to_host(F.roi_average_align_2d(x, rois, indices, 2, 1.0, 2).array))
