"""Batches for compiled steps: NumPy batches stay on the host, the compiled call moves them."""

import numpy

from polychain import get_device_from_array
from polychain.dataset import concat_examples, converter
from polychain.dataset.convert import convert_for_compiled_step


def _examples(count=4):
    return [(numpy.full(3, i, numpy.float32), numpy.int32(i)) for i in range(count)]


def test_the_default_converter_keeps_numpy_batches_on_the_host(jax_device):
    x, t = convert_for_compiled_step(concat_examples, _examples(), jax_device)
    assert type(x) is numpy.ndarray and type(t) is numpy.ndarray
    numpy.testing.assert_array_equal(t, [0, 1, 2, 3])
    assert x.shape == (4, 3)


def test_examples_already_on_a_device_are_sent_to_the_step_device(jax_device):
    on_device = [tuple(jax_device.send(value) for value in example) for example in _examples()]
    x, t = convert_for_compiled_step(concat_examples, on_device, jax_device)
    assert get_device_from_array(x) is jax_device and get_device_from_array(t) is jax_device
    numpy.testing.assert_array_equal(numpy.asarray(t), [0, 1, 2, 3])


def test_other_converters_receive_the_device(jax_device):
    received = []

    @converter()
    def doubled(batch, device):
        received.append(device)
        return device.send(2 * concat_examples(batch)[0])

    result = convert_for_compiled_step(doubled, _examples(), jax_device)
    assert received == [jax_device]
    assert get_device_from_array(result) is jax_device
    numpy.testing.assert_array_equal(numpy.asarray(result)[:, 0], [0, 2, 4, 6])
