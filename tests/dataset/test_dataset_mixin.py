"""DatasetMixin indexing and the Iterator base class."""

import numpy
import pytest

from polychain.dataset import DatasetMixin, Iterator


class SquaresDataset(DatasetMixin):
    def __init__(self, size):
        self.size = size

    def __len__(self):
        return self.size

    def get_example(self, i):
        return i * i


def test_int_index_calls_get_example():
    assert SquaresDataset(5)[3] == 9


@pytest.mark.parametrize('index, expected', [
    (slice(1, 4), [1, 4, 9]),
    (slice(None, None, 2), [0, 4, 16]),
    (slice(-2, None), [9, 16]),
    ([4, 0, 2], [16, 0, 4]),
    (numpy.array([1, 3]), [1, 9]),
])
def test_slice_list_and_array_indexes_give_lists(index, expected):
    assert SquaresDataset(5)[index] == expected


def test_missing_methods_raise_not_implemented():
    dataset = DatasetMixin()
    with pytest.raises(NotImplementedError, match='get_example'):
        dataset[0]
    with pytest.raises(NotImplementedError, match='__len__'):
        len(dataset)


def test_iterator_base_requires_next_and_finalizes_on_exit():
    finalized = []

    class Recorder(Iterator):
        def finalize(self):
            finalized.append(True)

    with pytest.raises(NotImplementedError, match='__next__'):
        Iterator().next()
    with Recorder() as iterator:
        assert iter(iterator) is iterator
    assert finalized == [True]
