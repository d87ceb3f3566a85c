"""TupleDataset, DictDataset, TransformDataset and ConcatenatedDataset."""

import numpy
import pytest

from polychain.datasets import ConcatenatedDataset, DictDataset, TransformDataset, TupleDataset


def test_tuple_dataset_zips_examples():
    x = numpy.arange(12).reshape(4, 3)
    labels = [10, 11, 12, 13]
    dataset = TupleDataset(x, labels)
    assert len(dataset) == 4
    example = dataset[2]
    assert isinstance(example, tuple)
    numpy.testing.assert_array_equal(example[0], [6, 7, 8])
    assert example[1] == 12


@pytest.mark.parametrize('index', [slice(1, 3), [1, 2], numpy.array([1, 2])])
def test_tuple_dataset_batch_indexes_give_lists_of_tuples(index):
    dataset = TupleDataset(numpy.arange(4), [10, 11, 12, 13])
    assert [(int(a), b) for a, b in dataset[index]] == [(1, 11), (2, 12)]


def test_tuple_dataset_checks_lengths():
    with pytest.raises(ValueError, match='TupleDataset: .*4 examples.*3'):
        TupleDataset(numpy.arange(4), numpy.arange(3))
    with pytest.raises(ValueError, match='TupleDataset: expected at least one dataset'):
        TupleDataset()


def test_dict_dataset_zips_examples_into_dicts():
    dataset = DictDataset(x=numpy.arange(3), y=['a', 'b', 'c'])
    assert len(dataset) == 3
    assert dataset[1] == {'x': 1, 'y': 'b'}
    assert dataset[[0, 2]] == [{'x': 0, 'y': 'a'}, {'x': 2, 'y': 'c'}]
    with pytest.raises(ValueError, match="DictDataset: .*'x'.*'y'"):
        DictDataset(x=numpy.arange(3), y=[1])


def test_transform_dataset_applies_the_function_on_read():
    dataset = TransformDataset([1, 2, 3], lambda value: value * 10)
    assert len(dataset) == 3
    assert dataset[2] == 30
    assert dataset[0:2] == [10, 20]


def test_concatenated_dataset_reads_datasets_in_turn():
    dataset = ConcatenatedDataset([0, 1], [], [2, 3, 4])
    assert len(dataset) == 5
    assert dataset[:] == [0, 1, 2, 3, 4]
    assert dataset[3] == 3
    with pytest.raises(IndexError, match='ConcatenatedDataset: index 5'):
        dataset[5]
    with pytest.raises(IndexError, match='non-negative'):
        dataset[-1]
