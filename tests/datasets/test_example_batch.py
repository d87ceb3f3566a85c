"""SerialIterator gathers the rows of array datasets at once; the batch stays a list of examples."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

from polychain.dataset import concat_examples
from polychain.datasets import TupleDataset
from polychain.datasets.example_batch import ExampleBatch
from polychain.iterators import SerialIterator


def _dataset() -> TupleDataset:
    x = np.arange(24, dtype=np.float32).reshape(12, 2)
    y = np.arange(12, dtype=np.int32)
    return TupleDataset(x, y)


def _examples_one_by_one(dataset, batch) -> list:
    return [dataset[int(index)] for index in batch]


def test_batch_holds_the_same_examples_as_reading_them_one_by_one():
    dataset = _dataset()
    batch = next(SerialIterator(dataset, 5, shuffle=False))
    expected = _examples_one_by_one(dataset, range(5))
    assert isinstance(batch, list) and len(batch) == 5
    for example, wanted in zip(batch, expected):
        assert type(example) is tuple and len(example) == 2
        np.testing.assert_array_equal(example[0], wanted[0])
        assert type(example[1]) is type(wanted[1]) and example[1] == wanted[1]


@pytest.mark.parametrize('device', [None, '@numpy'])
def test_concat_gives_what_stacking_the_examples_gives(device):
    dataset = _dataset()
    iterator = SerialIterator(dataset, 5, shuffle=True)
    for _ in range(4):
        batch = next(iterator)
        x, y = concat_examples(batch, device)
        plain_x, plain_y = concat_examples(list(batch), device)
        np.testing.assert_array_equal(x, plain_x)
        np.testing.assert_array_equal(y, plain_y)
        assert x.dtype == np.float32 and y.dtype == np.int32


def test_concat_returns_a_copy_not_the_examples_memory():
    batch = next(SerialIterator(_dataset(), 4, shuffle=False))
    x, _ = concat_examples(batch)
    x[...] = -1
    assert batch[0][0][0] == 0.0
    x_again, _ = concat_examples(batch)
    assert x_again[0, 0] == 0.0


@pytest.mark.parametrize('change', [
    lambda batch, dataset: batch.__setitem__(0, dataset[7]),
    lambda batch, dataset: batch.append(dataset[7]),
    lambda batch, dataset: batch.extend([dataset[7]]),
    lambda batch, dataset: batch.insert(0, dataset[7]),
    lambda batch, dataset: batch.pop(),
    lambda batch, dataset: batch.reverse(),
    lambda batch, dataset: batch.sort(key=lambda example: -example[1]),
    lambda batch, dataset: batch.__delitem__(0),
    lambda batch, dataset: batch.__iadd__([dataset[7]]),
])
def test_a_changed_batch_is_stacked_example_by_example(change):
    dataset = _dataset()
    batch = next(SerialIterator(dataset, 4, shuffle=False))
    change(batch, dataset)
    x, y = concat_examples(batch)
    np.testing.assert_array_equal(y, [example[1] for example in batch])
    np.testing.assert_array_equal(x, np.stack([example[0] for example in batch]))


def test_array_dataset_rows():
    data = np.arange(30, dtype=np.float64).reshape(10, 3)
    batch = next(SerialIterator(data, 4, shuffle=False))
    np.testing.assert_array_equal(batch[2], data[2])
    np.testing.assert_array_equal(concat_examples(batch), data[:4])
    labels = np.arange(10, dtype=np.int64)
    np.testing.assert_array_equal(concat_examples(next(SerialIterator(labels, 3, shuffle=False))),
                                  labels[:3])


def test_batch_survives_copy_and_pickle():
    batch = next(SerialIterator(_dataset(), 3, shuffle=False))
    for clone in (copy.copy(batch), copy.deepcopy(batch), pickle.loads(pickle.dumps(batch))):
        assert type(clone) is ExampleBatch
        x, y = concat_examples(clone)
        np.testing.assert_array_equal(y, [0, 1, 2])
        np.testing.assert_array_equal(x, np.arange(6, dtype=np.float32).reshape(3, 2))


def test_other_datasets_are_read_one_by_one():
    class Squares:
        def __len__(self):
            return 5

        def __getitem__(self, index):
            return np.float32(index) ** 2

    batch = next(SerialIterator(Squares(), 3, shuffle=False))
    assert type(batch) is list
    np.testing.assert_array_equal(concat_examples(batch), [0, 1, 4])
