"""rrelu: random slopes while training, the mean slope otherwise, and reusing r."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host

L, U = 0.1, 0.3


def _negative_input(device, dtype):
    return device.send(-numpy.linspace(1.0, 2.0, 200, dtype=dtype).reshape(10, 20))


def test_training_slopes_are_drawn_from_the_interval(device, dtype):
    x = _negative_input(device, dtype)
    y, r = F.rrelu(x, L, U, return_r=True)
    r = to_host(r)
    assert r.shape == (10, 20) and r.dtype == dtype
    assert (r >= L).all() and (r < U).all()
    assert numpy.unique(r).size > 100
    numpy.testing.assert_allclose(to_host(y.array), to_host(x) * r, rtol=1e-6)


def test_nonnegative_inputs_pass_through(device, dtype):
    x = numpy.array([[0.0, 0.5, 3.0]], dtype=dtype)
    numpy.testing.assert_array_equal(to_host(F.rrelu(device.send(x)).array), x)


def test_device_seed_makes_slopes_reproducible(device):
    x = _negative_input(device, numpy.float32)
    device.seed(7)
    first = to_host(F.rrelu(x, return_r=True)[1])
    device.seed(7)
    again = to_host(F.rrelu(x, return_r=True)[1])
    numpy.testing.assert_array_equal(first, again)


def test_returned_r_reproduces_output_and_gradient(device, dtype):
    x = polychain.Variable(_negative_input(device, dtype))
    y, r = F.rrelu(x, return_r=True)
    y_again = F.rrelu(x, r=r)
    numpy.testing.assert_array_equal(to_host(y.array), to_host(y_again.array))
    gx, = polychain.grad([y_again], [x], [device.send(numpy.ones((10, 20), dtype=dtype))])
    numpy.testing.assert_allclose(to_host(gx.array), to_host(r), rtol=1e-6)


def test_outside_training_the_slope_is_the_mean(device, dtype):
    x = _negative_input(device, dtype)
    given = device.send(numpy.full((10, 20), 0.25, dtype=dtype))
    with polychain.using_config('train', False):
        y, r = F.rrelu(x, L, U, r=given, return_r=True)
    numpy.testing.assert_allclose(to_host(r), numpy.full((10, 20), (L + U) / 2), rtol=1e-6)
    numpy.testing.assert_allclose(to_host(y.array), to_host(x) * (L + U) / 2, rtol=1e-6)


@pytest.mark.parametrize('l, u', [(-0.1, 0.3), (0.1, 1.0), (0.3, 0.2), (0.2, 0.2)])
def test_bounds_outside_unit_interval_or_unordered_raise(device, l, u):  # noqa: E741
    x = _negative_input(device, numpy.float32)
    with pytest.raises(ValueError, match='rrelu'):
        F.rrelu(x, l, u)


def test_r_of_another_shape_raises(device):
    x = _negative_input(device, numpy.float32)
    r = device.send(numpy.full((20, 10), 0.2, dtype=numpy.float32))
    with pytest.raises(ValueError, match=r'rrelu: expected r of the shape of x, \(10, 20\)'):
        F.rrelu(x, r=r)
