"""as_strided: geometries over the storage, NumPy views, shared-element gradients, checks."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.functions.array.as_strided import _stride_array


def _variable(device, values):
    return polychain.Variable(device.send(numpy.asarray(values, dtype='float64')))


def test_windows_and_reversal(device):
    x = _variable(device, numpy.arange(6.0))
    y = F.as_strided(x, (2, 3), (2, 1), 1)
    numpy.testing.assert_array_equal(to_host(y.array), [[1, 2, 3], [3, 4, 5]])
    y = F.as_strided(x, (6,), (-1,), 5)
    numpy.testing.assert_array_equal(to_host(y.array), numpy.arange(6.0)[::-1])


def test_offset_defaults_to_that_of_the_input(device):
    y = F.as_strided(_variable(device, [[1.0, 2.0], [3.0, 4.0]]), (2,), (2,))
    numpy.testing.assert_array_equal(to_host(y.array), [1.0, 3.0])


def test_gradient_adds_up_on_the_storage(device):
    x = _variable(device, numpy.arange(5.0))
    F.sum(F.as_strided(x, (3, 3), (1, 1), 0)).backward()  # element i appears min(i+1, 5-i, 3)
    numpy.testing.assert_array_equal(to_host(x.grad), [1, 2, 3, 2, 1])


def test_double_backward(device):
    x = _variable(device, numpy.arange(4.0))
    gx, = polychain.grad([F.sum(F.as_strided(x, (2, 2), (1, 1), 1) ** 2)], [x],
                         enable_double_backprop=True)
    numpy.testing.assert_array_equal(to_host(gx.array), [0, 2, 8, 6])
    ggx, = polychain.grad([F.sum(gx)], [x])
    numpy.testing.assert_array_equal(to_host(ggx.array), [0, 2, 4, 2])


def test_out_of_the_storage_is_a_value_error(device):
    x = _variable(device, numpy.arange(4.0))
    with pytest.raises(ValueError, match='below 0'):
        F.as_strided(x, (3,), (-1,), 1)
    with pytest.raises(ValueError, match='beyond the 4 elements'):
        F.as_strided(x, (3,), (2,), 0)
    with pytest.raises(ValueError, match='one stride per axis'):
        F.as_strided(x, (2, 2), (1,), 0)
    with pytest.raises(ValueError, match='sizes >= 0'):
        F.as_strided(x, (-2, -1), (1, 1), 0)


def test_integer_arrays_have_no_gradient(device):
    x = polychain.Variable(device.send(numpy.arange(4)))
    y = F.as_strided(x, (4,), (-1,), 3)
    y.grad = device.send(numpy.ones(4, dtype=numpy.int64))
    with pytest.raises(TypeError, match='floating-point'):
        polychain.grad((y,), (x,))


def test_numpy_views_reach_the_memory_they_view():
    # as in Chainer: the storage of a NumPy view is the array it was taken from
    base = numpy.arange(12.0)
    x = base.reshape(3, 4)[::-1]
    numpy.testing.assert_array_equal(F.as_strided(x, (12,), (1,), 0).array, base)
    window = _stride_array(base[:8], (3, 3), (-1, 2), 3)
    numpy.testing.assert_array_equal(window, [[3, 5, 7], [2, 4, 6], [1, 3, 5]])
    assert numpy.shares_memory(window, base)
    v = polychain.Variable(window)
    y = F.as_strided(v, (3, 3), (1, 2), 0)
    numpy.testing.assert_array_equal(y.array, [[0, 2, 4], [1, 3, 5], [2, 4, 6]])
    y.grad = numpy.ones((3, 3))
    gx, = polychain.grad((y,), (v,))
    # storage elements 3 and 5 are each shared by two elements of the input: halves
    numpy.testing.assert_array_equal(gx.array, [[0.5, 0.5, 0], [2, 2, 1], [1, 0.5, 0.5]])
