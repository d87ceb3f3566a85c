"""The NumPy backend's hooks (random numbers, scatter-add, index update) and their fallbacks."""

from __future__ import annotations

import numpy
import pytest

import polychain
from polychain.backend import Backend


@pytest.fixture
def numpy_device():
    return polychain.get_device('@numpy')


@pytest.fixture
def numpy_backend(numpy_device):
    return numpy_device.backend


@pytest.fixture
def restore_generator(numpy_device, monkeypatch):
    """Puts the device's generator back after a test re-seeds it."""
    monkeypatch.setattr(numpy_device, '_generator', numpy_device._generator)


def _draws(generator):
    return [generator.uniform((3, 4), numpy.float32, low=-2.0, high=2.0),
            generator.normal((5,), numpy.float64, loc=1.0, scale=0.5),
            generator.integers(0, 10, (2, 2), numpy.int32)]


def test_same_seed_gives_the_same_stream(numpy_backend, numpy_device):
    first = _draws(numpy_backend.create_generator(numpy_device, 7))
    second = _draws(numpy_backend.create_generator(numpy_device, 7))
    for a, b in zip(first, second):
        numpy.testing.assert_array_equal(a, b)


def test_different_seeds_give_different_streams(numpy_backend, numpy_device):
    first = _draws(numpy_backend.create_generator(numpy_device, 7))
    second = _draws(numpy_backend.create_generator(numpy_device, 8))
    assert not numpy.array_equal(first[0], second[0])
    assert not numpy.array_equal(first[1], second[1])


def test_draws_honour_shape_dtype_and_range(numpy_backend, numpy_device):
    uniform, normal, integers = _draws(numpy_backend.create_generator(numpy_device, 0))
    assert (uniform.shape, uniform.dtype) == ((3, 4), numpy.float32)
    assert (normal.shape, normal.dtype) == ((5,), numpy.float64)
    assert (integers.shape, integers.dtype) == ((2, 2), numpy.int32)
    assert all(isinstance(a, numpy.ndarray) for a in (uniform, normal, integers))
    assert uniform.min() >= -2.0 and uniform.max() < 2.0
    assert integers.min() >= 0 and integers.max() < 10


def test_integers_default_to_int64(numpy_backend, numpy_device):
    drawn = numpy_backend.create_generator(numpy_device, 0).integers(0, 3, (4,))
    assert drawn.dtype == numpy.int64


def test_device_seed_restarts_the_device_stream(numpy_device, restore_generator):
    numpy_device.seed(3)
    first = numpy_device.random.normal((4,), numpy.float32)
    numpy_device.seed(3)
    second = numpy_device.random.normal((4,), numpy.float32)
    numpy.testing.assert_array_equal(first, second)
    third = numpy_device.random.normal((4,), numpy.float32)
    assert not numpy.array_equal(second, third)


def test_device_random_is_one_generator_until_reseeded(numpy_device, restore_generator):
    generator = numpy_device.random
    assert numpy_device.random is generator
    numpy_device.seed(None)
    assert numpy_device.random is not generator


def test_scatter_add_accumulates_repeated_indices(numpy_backend):
    array = numpy.zeros(5, dtype=numpy.float32)
    result = numpy_backend.scatter_add(array, numpy.array([0, 2, 2, 4, 2]),
                                       numpy.array([1, 2, 3, 4, 5], dtype=numpy.float32))
    numpy.testing.assert_array_equal(result, [1, 0, 10, 0, 4])
    assert result.dtype == numpy.float32
    numpy.testing.assert_array_equal(array, numpy.zeros(5))


def test_scatter_add_rows_of_a_matrix(numpy_backend):
    array = numpy.ones((3, 2))
    result = numpy_backend.scatter_add(array, numpy.array([1, 1]), numpy.full((2, 2), 0.5))
    numpy.testing.assert_array_equal(result, [[1, 1], [2, 2], [1, 1]])
    numpy.testing.assert_array_equal(array, numpy.ones((3, 2)))


def test_index_update_leaves_the_input_alone(numpy_backend):
    array = numpy.arange(6.0).reshape(2, 3)
    result = numpy_backend.index_update(array, (slice(None), 1), numpy.array([-1.0, -2.0]))
    numpy.testing.assert_array_equal(result, [[0, -1, 2], [3, -2, 5]])
    numpy.testing.assert_array_equal(array, numpy.arange(6.0).reshape(2, 3))


HOOK_CASES = [
    ('scatter_add', numpy.array([0, 2, 2]), numpy.array([1.0, 2.0, 3.0])),
    ('scatter_add', (numpy.array([0, 1, 1]), numpy.array([2, 0, 0])),
     numpy.array([1.0, 2.0, 3.0])),
    ('scatter_add', slice(1, 3), numpy.array([4.0, 5.0])),
    ('index_update', numpy.array([3, 1]), numpy.array([7.0, 8.0])),
    ('index_update', (numpy.array([0, 1]), numpy.array([1, 2])), numpy.array([7.0, 8.0])),
    ('index_update', slice(None, None, 2), 9.0),
]


@pytest.mark.parametrize('hook, indices, values', HOOK_CASES)
def test_generic_fallback_agrees_with_the_numpy_override(numpy_backend, hook, indices,
                                                         values):
    shape = (4,) if isinstance(indices, (slice, numpy.ndarray)) else (2, 3)
    array = numpy.arange(float(numpy.prod(shape))).reshape(shape)
    override = getattr(numpy_backend, hook)(array, indices, values)
    fallback = getattr(Backend, hook)(numpy_backend, array, indices, values)
    assert type(fallback) is numpy.ndarray
    numpy.testing.assert_array_equal(fallback, override)
    numpy.testing.assert_array_equal(array, numpy.arange(float(array.size)).reshape(shape))
