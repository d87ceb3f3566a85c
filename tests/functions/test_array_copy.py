"""F.copy between devices: outputs on the destination, gradients back on the source."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host


def _usable(spec):
    try:
        return polychain.get_device(spec)
    except Exception as error:  # an unusable backend only skips
        pytest.skip(f'{spec} is not usable here: {error}')


@pytest.mark.parametrize('destination', ['@numpy', '@jax:cpu:0', '@strict'])
def test_copy_moves_forward_and_returns_gradient_to_source(device, destination):
    target = _usable(destination)
    x = polychain.Variable(device.send(numpy.arange(6.0).reshape(2, 3)))
    y = F.copy(x, destination)
    assert y.device == target
    assert polychain.get_device_from_array(y.array) == target
    numpy.testing.assert_array_equal(to_host(y.array), numpy.arange(6.0).reshape(2, 3))

    F.sum(y * y).backward()
    assert x.grad_var.device == device
    assert polychain.get_device_from_array(x.grad) == device
    numpy.testing.assert_allclose(to_host(x.grad), 2 * numpy.arange(6.0).reshape(2, 3))


def test_copy_accepts_chainer_integer_and_device_objects(device):
    x = polychain.Variable(device.send(numpy.ones(3)))
    assert F.copy(x, -1).device == polychain.get_device('@numpy')
    assert F.copy(x, device).device == device


def test_copy_to_same_device_keeps_the_array(device):
    array = device.send(numpy.ones(3))
    assert F.copy(polychain.Variable(array), device).array is array


def test_copy_double_backward_crosses_devices(device):
    target = _usable('@numpy')
    x = polychain.Variable(device.send(numpy.array([1.0, 2.0])))
    y = F.copy(x, target)
    gx, = polychain.grad([F.sum(y * y * y)], [x], enable_double_backprop=True)
    assert gx.device == device
    F.sum(gx).backward()
    numpy.testing.assert_allclose(to_host(x.grad), 6 * numpy.array([1.0, 2.0]))


def test_copy_rejects_unknown_specifier():
    with pytest.raises(ValueError, match="unknown backend 'nothing'"):
        F.copy(numpy.ones(2), '@nothing')
    with pytest.raises(RuntimeError, match='ChainerX'):
        F.copy(numpy.ones(2), 'numpy')
