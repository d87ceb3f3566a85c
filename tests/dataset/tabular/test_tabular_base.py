"""TabularDataset's own methods: fetch, get_example, iteration, indexing and convert."""

import numpy
import pytest

import polychain
from polychain.dataset import TabularDataset


@pytest.mark.parametrize('mode, expected', [
    (tuple, ([0, 1, 2], [100, 101, 102])),
    (dict, {'a': [0, 1, 2], 'b': [100, 101, 102]}),
])
def test_fetch_follows_the_mode(table, mode, expected):
    dataset = table(keys=('a', 'b'), mode=mode, size=3)
    assert dataset.fetch() == expected
    assert dataset.calls == [(None, None)]


def test_fetch_of_a_single_column_is_the_column(table):
    assert table(keys=('a',), mode=None, size=3).fetch() == [0, 1, 2]


@pytest.mark.parametrize('mode, expected', [
    (tuple, (4, 104)), (dict, {'a': 4, 'b': 104}),
])
def test_get_example_reads_one_row(table, mode, expected):
    dataset = table(keys=('a', 'b'), mode=mode)
    assert dataset.get_example(4) == expected
    assert dataset[4] == expected
    assert dataset.calls == [([4], None)] * 2


def test_iteration_and_slicing_give_examples(table):
    dataset = table(keys=('a',), mode=None, size=4)
    assert list(dataset) == [0, 1, 2, 3]
    assert dataset[1:3] == [1, 2]
    assert isinstance(dataset, polychain.dataset.DatasetMixin)


def test_convert_makes_arrays_of_list_columns(table):
    dataset = table(keys=('a', 'b'), mode=dict, size=3)
    converted = dataset.convert(dataset.fetch())
    assert set(converted) == {'a', 'b'}
    assert isinstance(converted['a'], numpy.ndarray)
    numpy.testing.assert_array_equal(converted['b'], [100, 101, 102])
    kept = numpy.arange(3)
    assert dataset.convert((kept,))[0] is kept
    assert dataset.convert([]).shape == (0,)


def test_convert_stacks_values_on_their_device(device):
    values = [device.send(numpy.array(i, 'f')) for i in range(3)]
    converted = TabularDataset.convert(None, values)
    assert polychain.backend.get_device_from_array(converted) == device
    numpy.testing.assert_array_equal(polychain.backend.CpuDevice().send(converted), [0, 1, 2])


def test_abstract_members_raise():
    dataset = TabularDataset()
    for read in (len, lambda d: d.keys, lambda d: d.mode, lambda d: d.get_examples(None, None)):
        with pytest.raises(NotImplementedError):
            read(dataset)
