"""concat_examples, to_device, the converter decorator and call_converter."""

import pickle

import numpy
import pytest

import polychain
from polychain import dataset
from polychain.backend import Device, to_host
from polychain.dataset import (
    Converter,
    call_converter,
    concat_examples,
    converter,
    to_device,
)


def test_arrays_are_stacked_along_a_new_batch_axis():
    batch = [numpy.full((2, 3), i, dtype=numpy.float32) for i in range(4)]
    result = concat_examples(batch)
    assert isinstance(result, numpy.ndarray)
    assert result.shape == (4, 2, 3) and result.dtype == numpy.float32
    numpy.testing.assert_array_equal(result[:, 0, 0], [0, 1, 2, 3])


def test_tuples_give_a_tuple_of_arrays():
    batch = [(numpy.array([i, i + 1]), i) for i in range(3)]
    x, t = concat_examples(batch)
    numpy.testing.assert_array_equal(x, [[0, 1], [1, 2], [2, 3]])
    numpy.testing.assert_array_equal(t, [0, 1, 2])


def test_dicts_give_a_dict_of_arrays():
    batch = [{'x': numpy.array([i, -i]), 'label': i} for i in range(3)]
    result = concat_examples(batch)
    assert set(result) == {'x', 'label'}
    numpy.testing.assert_array_equal(result['x'], [[0, 0], [1, -1], [2, -2]])
    numpy.testing.assert_array_equal(result['label'], [0, 1, 2])


def test_scalar_padding_fills_the_smallest_common_shape():
    batch = [(numpy.array([1, 2]), 0), (numpy.array([3]), 1), (numpy.array([], dtype=int), 2)]
    x, t = concat_examples(batch, padding=100)
    numpy.testing.assert_array_equal(x, [[1, 2], [3, 100], [100, 100]])
    numpy.testing.assert_array_equal(t, [0, 1, 2])


def test_tuple_and_dict_padding_give_one_value_per_element():
    batch = [(numpy.array([1, 2]), numpy.array([0])), (numpy.array([3]), numpy.array([], int))]
    x, y = concat_examples(batch, padding=(100, 200))
    numpy.testing.assert_array_equal(x, [[1, 2], [3, 100]])
    numpy.testing.assert_array_equal(y, [[0], [200]])
    batch = [{'a': numpy.ones((1, 2)), 'b': numpy.ones(1)}, {'a': numpy.ones((2, 1)), 'b': []}]
    result = concat_examples(batch, padding={'a': 0, 'b': -1})
    numpy.testing.assert_array_equal(result['a'], [[[1, 1], [0, 0]], [[1, 0], [1, 0]]])
    numpy.testing.assert_array_equal(result['b'], [[1], [-1]])


def test_different_shapes_without_padding_name_the_shapes():
    with pytest.raises(ValueError, match=r'concat_examples: .*\(2,\).*\(3,\).*padding'):
        concat_examples([numpy.zeros(2), numpy.zeros(3)])


def test_empty_batch_is_an_error():
    with pytest.raises(ValueError, match='concat_examples: .*empty'):
        concat_examples([])


def test_device_receives_every_array(device):
    batch = [(numpy.full(2, i, dtype=numpy.float32), numpy.int32(i)) for i in range(3)]
    x, t = concat_examples(batch, device)
    assert polychain.get_device_from_array(x) == device
    assert polychain.get_device_from_array(t) == device
    numpy.testing.assert_array_equal(to_host(x), [[0, 0], [1, 1], [2, 2]])
    numpy.testing.assert_array_equal(to_host(t), [0, 1, 2])


def test_device_none_keeps_arrays_where_the_examples_are(device):
    batch = [device.send(numpy.full(2, i, dtype=numpy.float32)) for i in range(3)]
    result = concat_examples(batch)
    assert polychain.get_device_from_array(result) == device
    numpy.testing.assert_array_equal(to_host(result)[:, 0], [0, 1, 2])


@pytest.mark.parametrize('spec', ['@numpy', -1])
def test_device_specifiers_and_chainer_integers_are_accepted(spec):
    result = concat_examples([numpy.zeros(2), numpy.ones(2)], device=spec)
    assert isinstance(result, numpy.ndarray)
    assert to_device(spec, result) is result
    assert to_device(None, result) is result


def test_converter_decorator_gives_the_function_a_device():
    received = []

    @converter()
    def convert(batch, device):
        """Records the device."""
        received.append(device)
        return batch

    assert isinstance(convert, Converter)
    assert convert.__doc__ == 'Records the device.'
    convert([1], -1)
    convert([1], device='@numpy')
    convert([1], None)
    assert received == [polychain.get_device('@numpy')] * 2 + [None]
    assert isinstance(received[0], Device)


def test_call_converter_passes_chainer_integers_to_plain_functions():
    received = []

    def legacy(batch, device):
        received.append(device)
        return batch

    numpy_device = polychain.get_device('@numpy')
    call_converter(legacy, [1], numpy_device)
    call_converter(legacy, [1], None)
    call_converter(concat_examples, [numpy.zeros(1)], numpy_device)
    assert received == [-1, None]
    with pytest.raises(TypeError, match='call_converter: .*Device or None'):
        call_converter(legacy, [1], '@numpy')


def test_concat_examples_pickles_by_name_and_local_converters_by_value():
    assert pickle.loads(pickle.dumps(dataset.concat_examples)) is dataset.concat_examples
    copied = pickle.loads(pickle.dumps(dataset.converter()(_first_item)))
    assert copied([(1, 2)], None) == (1, 2)


def _first_item(batch, device):
    return batch[0]


def test_concat_with_async_transfer_gives_what_concat_examples_gives():
    batch = [(numpy.ones(2), 1), (numpy.zeros(2), 2)]
    x, t = dataset.ConcatWithAsyncTransfer()(batch)
    numpy.testing.assert_array_equal(x, [[1, 1], [0, 0]])
    numpy.testing.assert_array_equal(t, [1, 2])


def test_concat_with_async_transfer_keeps_the_device_of_its_first_call():
    convert = dataset.ConcatWithAsyncTransfer()
    with pytest.raises(ValueError, match='empty'):
        convert([], '@numpy')
    convert([numpy.ones(2)], -1)
    assert to_host(convert([numpy.ones(2)], '@numpy')).shape == (1, 2)
    with pytest.raises(ValueError, match='first call to @numpy, received None'):
        convert([numpy.ones(2)])
    copied = pickle.loads(pickle.dumps(convert))
    with pytest.raises(ValueError, match='first call'):
        copied([numpy.ones(2)], None)
