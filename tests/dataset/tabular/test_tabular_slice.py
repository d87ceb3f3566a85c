"""dataset.slice[indices, keys]: views that read only the selected rows and columns."""

import numpy
import pytest


@pytest.mark.parametrize('indices, rows', [
    (slice(None), list(range(10))),
    (slice(7, 2, -2), [7, 5, 3]),
    ([3, -2, 3], [3, 8, 3]),
    ([numpy.int32(1), numpy.int64(4)], [1, 4]),
    ([i in (2, 5) for i in range(10)], [2, 5]),
    (numpy.arange(10) > 7, [8, 9]),
    ([False, True, 9], [0, 1, 9]),
    ([], []),
])
def test_rows(table, indices, rows):
    dataset = table(keys=('a', 'b'))
    view = dataset.slice[indices]
    assert len(view) == len(rows)
    assert view.keys == ('a', 'b') and view.mode is tuple
    assert view.fetch() == ([r for r in rows], [100 + r for r in rows])


def test_a_slice_reaches_the_dataset_as_a_slice_and_a_list_as_a_list(table):
    dataset = table()
    dataset.slice[8::-3].get_examples(None, None)
    dataset.slice[8::-3].get_examples(slice(1, None), None)
    dataset.slice[[5, 1]].get_examples(slice(None, None, -1), None)
    dataset.slice[8::-3].get_examples([2, 0], None)
    assert dataset.calls == [(slice(8, None, -3), None), (slice(5, None, -3), None),
                             ([1, 5], None), ([2, 8], None)]
    assert dataset.slice[0:0].fetch() == ([], [], [])


@pytest.mark.parametrize('keys, names, mode', [
    ('b', ('b',), None),
    (1, ('b',), None),
    (('c', 0), ('c', 'a'), tuple),
    ((-1,), ('c',), tuple),
    ((), (), tuple),
])
def test_columns(table, keys, names, mode):
    dataset = table()
    view = dataset.slice[1:3, keys]
    assert view.keys == names and view.mode is mode
    expected = tuple([100 * 'abc'.index(n) + 1, 100 * 'abc'.index(n) + 2] for n in names)
    assert view.get_examples(None, None) == expected


def test_columns_keep_a_dict_mode_and_compose(table):
    dataset = table(mode=dict)
    view = dataset.slice[:, ('c', 'a')]
    assert view.mode is dict
    assert view.slice[[1], (1,)].fetch() == {'a': [1]}
    assert dataset.calls[-1] == ([1], (0,))


@pytest.mark.parametrize('indices, keys, error', [
    ([10], None, IndexError),
    ([-11], None, IndexError),
    ([True] * 9, None, ValueError),
    (slice(None), 3, IndexError),
    (slice(None), ('d',), KeyError),
])
def test_bad_selections(table, indices, keys, error):
    with pytest.raises(error):
        table().slice[indices, keys]


def test_convert_is_the_datasets(table):
    dataset = table()
    dataset.convert = lambda data: 'converted'
    assert dataset.slice[:2].convert(None) == 'converted'
