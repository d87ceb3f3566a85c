"""SubDataset, dataset splits and cross-validation folds."""

import numpy
import pytest

from polychain.datasets import (
    SubDataset,
    get_cross_validation_datasets,
    get_cross_validation_datasets_random,
    split_dataset,
    split_dataset_n,
    split_dataset_n_random,
    split_dataset_random,
)

BASE = list(range(10))


def test_sub_dataset_reads_an_interval_with_negative_indexes():
    subset = SubDataset(BASE, 2, 6)
    assert len(subset) == 4
    assert subset[:] == [2, 3, 4, 5]
    assert subset[-1] == 5 and subset[-4] == 2
    for index in (4, -5):
        with pytest.raises(IndexError, match=f'SubDataset: index {index}'):
            subset[index]


def test_sub_dataset_follows_order():
    order = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
    assert SubDataset(BASE, 1, 4, order)[:] == [8, 7, 6]


def test_sub_dataset_checks_its_arguments():
    with pytest.raises(ValueError, match='SubDataset: expected 0 <= start'):
        SubDataset(BASE, 0, 11)
    with pytest.raises(ValueError, match='SubDataset: expected order'):
        SubDataset(BASE, 0, 3, [0, 1])


def test_split_dataset_covers_the_dataset_once():
    first, second = split_dataset(BASE, 3)
    assert first[:] == [0, 1, 2]
    assert second[:] == list(range(3, 10))
    first, second = split_dataset(BASE, 10)
    assert len(first) == 10 and len(second) == 0
    with pytest.raises(ValueError, match='split_dataset: .*received 11'):
        split_dataset(BASE, 11)
    with pytest.raises(TypeError, match='split_dataset: .*int.*float'):
        split_dataset(BASE, 2.5)


def test_split_dataset_random_is_a_seeded_partition():
    first, second = split_dataset_random(BASE, 4, seed=0)
    assert len(first) == 4 and len(second) == 6
    assert sorted(first[:] + second[:]) == BASE
    again, _ = split_dataset_random(BASE, 4, seed=0)
    assert again[:] == first[:]


def test_split_dataset_n_gives_equal_parts():
    parts = split_dataset_n(BASE, 3)
    assert [part[:] for part in parts] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    random_parts = split_dataset_n_random(BASE, 2, seed=1)
    assert sorted(random_parts[0][:] + random_parts[1][:]) == BASE


def test_cross_validation_test_parts_partition_the_dataset():
    splits = get_cross_validation_datasets(BASE, 3)
    assert len(splits) == 3
    tests = [test[:] for _, test in splits]
    assert tests == [[6, 7, 8, 9], [3, 4, 5], [0, 1, 2]]
    assert splits[1][0][:] == [6, 7, 8, 9, 0, 1, 2]
    for train, test in splits:
        assert sorted(train[:] + test[:]) == BASE


def test_cross_validation_follows_order_and_accepts_n_fold():
    order = BASE[::-1]
    with pytest.warns(DeprecationWarning, match='n_fold'):
        splits = get_cross_validation_datasets(BASE, order=order, n_fold=2)
    assert [test[:] for _, test in splits] == [[4, 3, 2, 1, 0], [9, 8, 7, 6, 5]]
    with pytest.raises(TypeError, match='missing the required argument n_folds'):
        get_cross_validation_datasets(BASE)


def test_cross_validation_random_is_seeded():
    first = get_cross_validation_datasets_random(BASE, 5, seed=3)
    second = get_cross_validation_datasets_random(BASE, 5, seed=3)
    assert [test[:] for _, test in first] == [test[:] for _, test in second]
    assert sorted(sum((test[:] for _, test in first), [])) == BASE
    assert numpy.all([len(test) == 2 for _, test in first])
