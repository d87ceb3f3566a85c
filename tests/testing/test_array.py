"""assert_allclose across backends."""

from __future__ import annotations

import numpy
import pytest

import polychain
from polychain import testing


def test_equal_arrays_of_any_backend_and_variables_pass(device):
    x = device.send(numpy.array([1.0, 2.0, 3.0]))
    testing.assert_allclose(polychain.Variable(x), numpy.array([1.0, 2.0, 3.0 + 1e-6]))
    testing.assert_allclose(x, x)


def test_mismatch_message_names_the_worst_element(device):
    x = device.send(numpy.array([[1.0, 2.0], [3.0, 4.0]]))
    with pytest.raises(AssertionError) as info:
        testing.assert_allclose(x, numpy.array([[1.0, 2.0], [3.5, 4.0]]), atol=1e-3, rtol=0)
    message = str(info.value)
    assert 'shape: (2, 2) (2, 2)' in message
    assert 'i: (1, 0)' in message and 'x[i]: 3.0' in message and 'y[i]: 3.5' in message
    assert 'absolute error[i]: 0.5' in message and 'total tolerance: 0.001' in message


def test_tolerances_are_applied():
    testing.assert_allclose(numpy.float32(1.0), 1.05, atol=0, rtol=0.1)
    with pytest.raises(AssertionError, match='shape: \\(2,\\) \\(3,\\)'):
        testing.assert_allclose(numpy.zeros(2), numpy.zeros(3))


def test_expected_values_may_be_python_lists():
    testing.assert_allclose(numpy.array([[1.0, 2.0]]), [[1.0, 2.0]])
    with pytest.raises(AssertionError):
        testing.assert_allclose(numpy.array([1.0, 2.0]), [1.0, 2.5])
