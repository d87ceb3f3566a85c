"""get_item (slices, ints, None, Ellipsis, integer arrays, boolean masks) against NumPy."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.functions.array.get_item import GetItem

from .function_checks import FunctionCase, check_forward, check_gradients

SHAPE = (4, 3, 2)
INDEXES = {
    'slice': slice(1, 3),
    'step_slice': (slice(None, None, 2), slice(1, None)),
    'int': 1,
    'negative_int': -1,
    'ints': (1, 2),
    'int_and_slice': (slice(None), 0),
    'none': (None, 1),
    'none_between': (slice(None), None, slice(0, 2)),
    'ellipsis': (Ellipsis, 0),
    'ellipsis_middle': (0, Ellipsis, 1),
    'int_array_with_repeats': numpy.array([0, 2, 0, 3, 0]),
    'int_array_second_axis': (slice(None), numpy.array([2, 2, 1])),
    'bool_mask': numpy.array([True, False, True, True]),
    'bool_mask_all_axes': numpy.arange(24).reshape(SHAPE) % 3 == 0,
}


def _on_device(index, device):
    """The index with its NumPy arrays sent to ``device``."""
    if isinstance(index, tuple):
        return tuple(_on_device(i, device) for i in index)
    if isinstance(index, numpy.ndarray):
        return device.send(index)
    return index


def _case(name, device):
    index = INDEXES[name]
    device_index = _on_device(index, device)
    return FunctionCase(name, lambda x: F.get_item(x, device_index), lambda x: x[index],
                        (SHAPE,))


@pytest.mark.parametrize('name', sorted(INDEXES))
def test_forward(name, device, dtype, rng):
    check_forward(_case(name, device), device, dtype, rng)


@pytest.mark.parametrize('name', sorted(INDEXES))
def test_gradients(name, device, dtype, tolerance, rng):
    check_gradients(_case(name, device), device, dtype, tolerance, rng)


def test_repeated_indices_accumulate_gradients(device, dtype):
    x = polychain.Variable(device.send(numpy.zeros(4, dtype=dtype)))
    y = F.get_item(x, device.send(numpy.array([0, 2, 0, 0])))
    y.grad = device.send(numpy.array([1, 2, 3, 4], dtype=dtype))
    y.backward()
    numpy.testing.assert_array_equal(to_host(x.grad), numpy.array([8, 0, 2, 0], dtype=dtype))


def test_variable_indexing_uses_get_item(device):
    host = numpy.arange(24, dtype='f').reshape(SHAPE)
    x = polychain.Variable(device.send(host))
    y = x[1:, None, ..., 0]
    assert isinstance(y.creator, GetItem)
    numpy.testing.assert_array_equal(to_host(y.array), host[1:, None, ..., 0])
