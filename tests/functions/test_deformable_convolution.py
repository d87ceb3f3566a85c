"""deformable_convolution_2d_sampler: Chainer's semantics beyond the conformance catalogue."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host


def _inputs(device, kh=2, kw=3, out=(3, 4)):
    rng = numpy.random.default_rng(0)
    x = device.send(rng.uniform(-1, 1, (2, 3, 5, 4)))
    W = device.send(rng.uniform(-1, 1, (2, 3, kh, kw)))  # noqa: N806
    b = device.send(rng.uniform(-1, 1, (2,)))
    return x, W, b, numpy.zeros((2, 2 * kh * kw) + out)


def test_zero_offsets_give_the_convolution(device):
    x, W, b, offset = _inputs(device)  # noqa: N806
    y = F.deformable_convolution_2d_sampler(x, device.send(offset), W, b, (2, 1), 1)
    expected = F.convolution_2d(x, W, b, (2, 1), 1)
    numpy.testing.assert_allclose(to_host(y.array), to_host(expected.array), atol=1e-12)


def test_offsets_move_every_tap_horizontally_then_vertically(device):
    x, W, b, offset = _inputs(device, out=(3, 2))  # noqa: N806
    offset[:, :6] = 1.0   # one pixel right
    offset[:, 6:] = -1.0  # one pixel up
    y = F.deformable_convolution_2d_sampler(x, device.send(offset), W, b, 1, 1)
    # The convolution with one more pixel of padding, from one row earlier and two columns on.
    expected = to_host(F.convolution_2d(x, W, b, 1, 2).array)[:, :, :3, 2:4]
    numpy.testing.assert_allclose(to_host(y.array), expected, atol=1e-12)


def test_offset_gradient_is_the_slope_of_the_input(device):
    x = device.send(numpy.arange(16.0).reshape(1, 1, 4, 4))  # rows step 4, columns step 1
    W = device.send(numpy.ones((1, 1, 1, 1)))  # noqa: N806
    offset = polychain.Variable(device.send(numpy.full((1, 2, 1, 1), 0.5)))
    y = F.deformable_convolution_2d_sampler(x, offset, W)
    numpy.testing.assert_allclose(to_host(y.array).ravel(), [0.5 * 4 + 0.5])
    y.grad = device.xp.ones(y.shape, dtype=y.dtype, device=device.native)
    y.backward()
    numpy.testing.assert_allclose(to_host(offset.grad).ravel(), [1.0, 4.0])


def test_offset_channels_must_match_the_filter():
    with pytest.raises(ValueError, match='deformable_convolution_2d_sampler: expected offset '
                                         'with 2 \\* kh \\* kw = 8 channels'):
        F.deformable_convolution_2d_sampler(numpy.zeros((1, 1, 3, 3)), numpy.zeros((1, 4, 2, 2)),
                                            numpy.zeros((1, 1, 2, 2)))
