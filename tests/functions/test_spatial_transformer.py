"""spatial_transformer_grid and spatial_transformer_sampler: Chainer's semantics."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def test_identity_theta_gives_a_grid_the_sampler_reads_back_the_image(device):
    x = device.send(numpy.random.default_rng(0).uniform(size=(2, 3, 4, 5)))
    theta = device.send(numpy.tile(numpy.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), (2, 1, 1)))
    grid = F.spatial_transformer_grid(theta, (4, 5))
    numpy.testing.assert_allclose(to_host(grid.array)[0, 0, 0], numpy.linspace(-1, 1, 5))
    numpy.testing.assert_allclose(to_host(grid.array)[0, 1, :, 0], numpy.linspace(-1, 1, 4))
    y = F.spatial_transformer_sampler(x, grid)
    numpy.testing.assert_allclose(to_host(y.array), to_host(x), atol=1e-12)


def test_sampler_interpolates_with_the_zero_padding(device):
    x = numpy.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    # Half a pixel above and left of the corner, half a pixel right of the last column.
    columns, rows = numpy.array([-0.5, 3.5]), numpy.array([-0.5, 1.0])
    grid = numpy.stack([columns / 1.5 - 1, rows / 1.5 - 1]).reshape(1, 2, 2, 1)
    y = F.spatial_transformer_sampler(device.send(x), device.send(grid))
    numpy.testing.assert_allclose(to_host(y.array).ravel(), [1.0 / 4, 8.0 / 2])


def test_points_beyond_the_zero_border_give_zero_and_no_gradient(device):
    x = polychain.Variable(device.send(numpy.ones((1, 1, 3, 3))))
    grid = polychain.Variable(device.send(numpy.array([[[[3.0]], [[-4.0]]]])))
    y = F.spatial_transformer_sampler(x, grid)
    assert to_host(y.array).item() == 0.0
    y.grad = device.xp.ones(y.shape, dtype=y.dtype, device=device.native)
    y.backward()
    assert not to_host(grid.grad).any() and not to_host(x.grad).any()


def test_sampler_gradient_of_the_grid_is_the_slope_of_the_image(device):
    x = device.send(numpy.arange(9.0).reshape(1, 1, 3, 3))  # 3 rows + column: slopes 3 and 1
    grid = polychain.Variable(device.send(numpy.array([[[[0.3]], [[-0.4]]]])))
    y = F.spatial_transformer_sampler(x, grid)
    y.grad = device.xp.ones(y.shape, dtype=y.dtype, device=device.native)
    y.backward()
    # d column / d g = (W - 1) / 2 = 1, d row / d g = (H - 1) / 2 = 1.
    numpy.testing.assert_allclose(to_host(grid.grad).ravel(), [1.0, 3.0])


@pytest.mark.parametrize('call, error', [
    (lambda: F.spatial_transformer_grid(numpy.zeros((2, 3, 3)), (2, 2)), InvalidType),
    (lambda: F.spatial_transformer_grid(numpy.zeros((2, 2, 3), 'int32'), (2, 2)), InvalidType),
    (lambda: F.spatial_transformer_sampler(numpy.zeros((1, 1, 3, 3)),
                                           numpy.zeros((1, 3, 2, 2))), InvalidType),
    (lambda: F.spatial_transformer_sampler(numpy.zeros((2, 1, 3, 3)),
                                           numpy.zeros((1, 2, 2, 2))), InvalidType),
    (lambda: F.spatial_transformer_grid(numpy.zeros((2, 2, 3)), (2, 2), use_cudnn=True),
     ValueError),
    (lambda: F.spatial_transformer_sampler(numpy.zeros((1, 1, 3, 3)),
                                           numpy.zeros((1, 2, 2, 2)), use_cudnn=True),
     ValueError),
])
def test_invalid_arguments_raise_as_in_chainer(call, error):
    with pytest.raises(error):
        call()
