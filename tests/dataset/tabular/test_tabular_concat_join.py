"""concat stacks datasets' rows, join their columns; each part is read once, only if needed."""

import numpy
import pytest


@pytest.fixture
def parts(table):
    return table(keys=('a', 'b'), size=4, as_arrays=True), \
        table(keys=('a', 'b'), size=3, start=4, as_arrays=True)


@pytest.mark.parametrize('indices, first, second', [
    (None, None, None),
    (slice(1, 6, 2), slice(1, 4, 2), slice(1, 2, 2)),
    (slice(6, 1, -2), slice(2, 1, -2), slice(2, None, -2)),
    (slice(2, None, -1), slice(2, None, -1), 'unread'),
    ([5, 0, -1, 2], [0, 2], [1, 2]),
    ([6, 4], 'unread', [2, 0]),
    ([], 'unread', 'unread'),
])
def test_concat_reads_each_part_for_its_rows(parts, indices, first, second):
    view = parts[0].concat(parts[1])
    assert len(view) == 7 and view.keys == ('a', 'b') and view.mode is tuple
    rows = list(range(7))
    expected = rows if indices is None else \
        rows[indices] if isinstance(indices, slice) else [rows[i] for i in indices]
    columns = view.get_examples(indices, None)
    assert [list(c) for c in columns] == [expected, [100 + r for r in expected]]
    for part, wanted in zip(parts, (first, second)):
        assert part.calls == ([] if wanted == 'unread' else [(wanted, None)])
    read_once = (first == 'unread') != (second == 'unread')
    assert all(isinstance(c, numpy.ndarray if read_once else list) for c in columns)


def test_concat_passes_columns_and_uses_the_first_convert(parts):
    parts[0].convert = lambda data: 'first'
    view = parts[0].concat(parts[1], parts[0])
    assert len(view) == 11
    assert view.get_examples([10, 4], (1,)) == ([103, 104],)
    assert view.convert(None) == 'first'


@pytest.mark.parametrize('keys', [('a',), ('b', 'a'), ('a', 'b', 'c')])
def test_concat_needs_the_same_keys_in_order(table, keys):
    with pytest.raises(ValueError, match='keys'):
        table(keys=('a', 'b')).concat(table(keys=keys))


def test_join_reads_each_part_for_its_columns(table):
    left, right = table(keys=('a', 'b'), mode=dict), table(keys=('c',), mode=None, first_column=2)
    view = left.join(right)
    assert view.keys == ('a', 'b', 'c') and view.mode is dict and len(view) == 10
    assert view.get_examples([1], (2, 0, -3)) == ([201], [1], [1])
    assert left.calls == [([1], (0, 0))] and right.calls == [([1], (0,))]
    assert view.get_examples(slice(0, 1), (1,)) == ([100],)
    assert len(right.calls) == 1
    assert view.get_example(2) == {'a': 2, 'b': 102, 'c': 202}


def test_join_of_single_columns_is_in_tuple_mode(table):
    view = table(keys=('a',), mode=None).join(table(keys=('b',), mode=None, first_column=1))
    assert view.mode is tuple and view[3] == (3, 103)


def test_join_checks_lengths_and_keys(table):
    with pytest.raises(ValueError, match='rows'):
        table(keys=('a',)).join(table(keys=('b',), size=3))
    with pytest.raises(ValueError, match="'a'"):
        table(keys=('a', 'b')).join(table(keys=('a',)))
