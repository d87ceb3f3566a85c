"""from_data: datasets of lists, arrays and callables; DelegateDataset, astuple, asdict."""

import numpy
import pytest

import polychain
from polychain.dataset import TabularDataset, tabular


def test_one_list_or_array_column():
    listed = tabular.from_data([5, 6, 7])
    assert isinstance(listed, TabularDataset) and listed.mode is None
    assert listed.slice[[2, 0]].fetch() == [7, 5]
    array = numpy.arange(4)
    arrayed = tabular.from_data(('x', array))
    assert arrayed.keys == ('x',) and arrayed[-1] == 3
    assert isinstance(arrayed.slice[[1]].fetch(), numpy.ndarray)
    assert arrayed.fetch() is array
    assert tabular.from_data(array).keys != tabular.from_data(array).keys


def test_array_rows_are_taken_on_their_device(device):
    dataset = tabular.from_data(('x', device.send(numpy.arange(5, dtype='f'))))
    for rows, expected in (([3, -1, 0], [3, 4, 0]), (slice(None, None, -2), [4, 2, 0]),
                           ([], [])):
        column, = dataset.get_examples(rows, None)
        assert polychain.backend.get_device_from_array(column) == device
        numpy.testing.assert_array_equal(polychain.backend.CpuDevice().send(column), expected)
    with pytest.raises(IndexError):
        dataset.get_examples([5], None)


def test_callables_are_called_with_the_row_number():
    squares = tabular.from_data(('sq', lambda i: i * i), size=4)
    assert squares.mode is None and squares.fetch() == [0, 1, 4, 9]
    pair = tabular.from_data((('sq', 'neg'), lambda i: {'sq': i * i, 'neg': -i}), size=3)
    assert pair.mode is dict and pair[2] == {'sq': 4, 'neg': -2}


def test_tuples_and_dicts_of_columns():
    rows = tabular.from_data((numpy.arange(3), ('b', [7, 8, 9]), (('c', 'd'), lambda i: (i, 0))))
    assert rows.mode is tuple and rows.keys[1:] == ('b', 'c', 'd')
    assert rows[1] == (1, 8, 1, 0)
    named = tabular.from_data({'a': [1, 2], ('b', 'c'): lambda i: (i, -i)})
    assert named.mode is dict and named[1] == {'a': 2, 'b': 1, 'c': -1}


@pytest.mark.parametrize('data, kwargs, match', [
    (lambda i: i, {'size': 3}, 'key'),
    (('a', lambda i: i), {}, 'size'),
    ({'a': lambda i: i}, {}, 'size'),
    ((('a', [1, 2]), ('b', [1, 2, 3])), {}, 'rows'),
])
def test_errors(data, kwargs, match):
    with pytest.raises(ValueError, match=match):
        tabular.from_data(data, **kwargs)


class Squares(tabular.DelegateDataset):
    def __init__(self):
        super().__init__(tabular.from_data(('sq', lambda i: i * i), size=5))


def test_delegate_dataset_reads_through():
    dataset = Squares()
    assert len(dataset) == 5 and dataset.keys == ('sq',) and dataset.mode is None
    assert dataset[3] == 9 and dataset.slice[1:3].fetch() == [1, 4]


@pytest.mark.parametrize('method, mode, example', [
    ('astuple', tuple, (9,)), ('asdict', dict, {'sq': 9}),
])
def test_astuple_and_asdict(method, mode, example):
    dataset = Squares()
    view = getattr(dataset, method)()
    assert view.mode is mode and view.keys == ('sq',) and view[3] == example


@pytest.mark.parametrize('mode, expected', [
    (tuple, (((0, 1),), {})), (dict, ((), {'sq': (0, 1)})), (None, (((0, 1),), {})),
])
def test_with_converter_spreads_the_columns(mode, expected):
    dataset = tabular.from_data(('sq', lambda i: i * i), size=2)
    dataset = {tuple: dataset.astuple, dict: dataset.asdict}.get(mode, lambda: dataset)()
    view = dataset.with_converter(lambda *args, **kwargs: (
        tuple(tuple(a) for a in args), {k: tuple(v) for k, v in kwargs.items()}))
    assert view.mode is mode and view.keys == ('sq',)
    assert view.convert(view.fetch()) == expected
