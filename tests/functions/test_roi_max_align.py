"""roi_max_align_2d: Chainer's semantics beyond the conformance catalogue."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host


def test_roi_max_align_takes_the_largest_bilinear_sample(device):
    x = device.send(numpy.arange(16.0).reshape(1, 1, 4, 4))  # x[h, w] = 4 h + w
    # Samples of the single bin at h in {0.75, 1.25}, w in {1.5, 2.5}: the largest is 4*1.25+2.5.
    rois = device.send(numpy.array([[0.5, 1.0, 1.5, 3.0]]))
    y = F.roi_max_align_2d(x, rois, device.send(numpy.array([0], 'int32')), 1, 1.0,
                           sampling_ratio=2)
    numpy.testing.assert_allclose(to_host(y.array), [[[[7.5]]]])


def test_roi_max_align_bin_without_samples_inside_is_minus_inf_without_gradient(device):
    x = polychain.Variable(device.send(numpy.ones((1, 1, 4, 4))))
    # Along W the first bin samples x = -3 (outside [-1, 4]), the second x = 1.
    rois = device.send(numpy.array([[0.0, -4.0, 2.0, 2.0]]))
    y = F.roi_max_align_2d(x, rois, device.send(numpy.array([0], 'int32')), (1, 2), 1.0,
                           sampling_ratio=1)
    numpy.testing.assert_array_equal(to_host(y.array), [[[[-numpy.inf, 1.0]]]])
    y.grad = device.xp.ones(y.shape, dtype=y.dtype, device=device.native)
    y.backward()
    assert to_host(x.grad).sum() == pytest.approx(1.0)


def test_roi_max_align_tied_samples_send_the_gradient_to_the_first(device):
    x = polychain.Variable(device.send(numpy.arange(16.0).reshape(1, 1, 4, 4)))
    # Every sample lies beyond the last row and column: all clamp to x[3, 3] and tie.
    rois = device.send(numpy.array([[3.5, 3.5, 4.0, 4.0]]))
    y = F.roi_max_align_2d(x, rois, device.send(numpy.array([0], 'int32')), 1, 1.0,
                           sampling_ratio=3)
    numpy.testing.assert_array_equal(to_host(y.array), [[[[15.0]]]])
    y.grad = device.xp.ones(y.shape, dtype=y.dtype, device=device.native)
    y.backward()
    expected = numpy.zeros((1, 1, 4, 4))
    expected[0, 0, 3, 3] = 1.0
    numpy.testing.assert_array_equal(to_host(x.grad), expected)


def test_roi_max_align_rejects_a_bad_sampling_ratio():
    with pytest.raises(TypeError, match='roi_max_align_2d: expected an int >= 1, None or a '
                                        'pair of them as sampling_ratio'):
        F.roi_max_align_2d(numpy.zeros((1, 1, 4, 4)), numpy.zeros((1, 4)),
                           numpy.zeros(1, 'int32'), 2, 1.0, sampling_ratio=(1, 0))
