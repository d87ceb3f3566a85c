"""cross_covariance: the matrix, the half squared sum, gradients and argument checks."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def test_matrix_and_loss(device, rng):
    y, z = rng.uniform(-1, 1, (6, 3)), rng.uniform(-1, 1, (6, 2))
    expected = (y - y.mean(0)).T @ (z - z.mean(0)) / 6
    matrix = F.cross_covariance(device.send(y), device.send(z), reduce='no')
    numpy.testing.assert_allclose(to_host(matrix.array), expected, rtol=1e-12)
    loss = F.cross_covariance(device.send(y), device.send(z))
    assert loss.shape == ()
    assert float(to_host(loss.array)) == pytest.approx(0.5 * (expected ** 2).sum(), rel=1e-12)


def test_gradient_of_the_loss(device, rng):
    y_host, z_host = rng.uniform(-1, 1, (5, 3)), rng.uniform(-1, 1, (5, 2))
    y, z = polychain.Variable(device.send(y_host)), polychain.Variable(device.send(z_host))
    F.cross_covariance(y, z).backward()
    centred_y, centred_z = y_host - y_host.mean(0), z_host - z_host.mean(0)
    covariance = centred_y.T @ centred_z / 5
    # the centring projects out the mean of each column's gradient, which is already 0
    numpy.testing.assert_allclose(to_host(y.grad), centred_z @ covariance.T / 5, rtol=1e-10)
    numpy.testing.assert_allclose(to_host(z.grad), centred_y @ covariance / 5, rtol=1e-10)


def test_rejects_an_unknown_reduction():
    with pytest.raises(ValueError, match="expected reduce 'half_squared_sum' or 'no'"):
        F.cross_covariance(numpy.zeros((2, 3)), numpy.zeros((2, 2)), 'mean')


def test_rejects_batches_of_different_sizes():
    with pytest.raises(InvalidType):
        F.cross_covariance(numpy.zeros((2, 3)), numpy.zeros((3, 2)))
