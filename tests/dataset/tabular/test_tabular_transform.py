"""transform and transform_batch: computed columns whose mode is that of the results."""

import numpy
import pytest

import polychain
from polychain.dataset import tabular


@pytest.mark.parametrize('in_mode', [tuple, dict])
@pytest.mark.parametrize('returns, mode', [
    (lambda a, b: (a + b, a - b), tuple),
    (lambda a, b: {'sum': a + b, 'difference': a - b}, dict),
])
def test_transform_calls_once_per_row(table, in_mode, returns, mode):
    dataset = table(keys=('a', 'b'), mode=in_mode)
    seen = []

    def transform(*args, **kwargs):
        seen.append((args, kwargs))
        values = args if in_mode is tuple else (kwargs['a'], kwargs['b'])
        return returns(*values)

    view = dataset.transform(('sum', 'difference'), transform)
    assert view.keys == ('sum', 'difference') and len(view) == 10
    assert view.mode is mode  # found by transforming row 0
    assert view.get_examples([3, 1], (1,)) == ([-100, -100],)
    assert len(seen) == 3 and isinstance(seen[-1], tuple)
    assert view.slice[2:4].fetch() == (
        ([104, 106], [-100, -100]) if mode is tuple else {'sum': [104, 106],
                                                          'difference': [-100, -100]})


def test_transform_of_a_single_column_with_a_name(table):
    view = table(keys=('a',), mode=None).transform('square', lambda a: a * a)
    assert view.keys == ('square',) and view.mode is None
    assert view.fetch()[:4] == [0, 1, 4, 9]
    assert view.get_examples([], None) == ([],)


def test_transform_batch_receives_and_returns_columns(table):
    dataset = table(keys=('a', 'b'), as_arrays=True)
    view = dataset.transform_batch('total', lambda a, b: a + b)
    columns = view.get_examples(slice(0, 3), None)
    assert isinstance(columns[0], numpy.ndarray)
    assert columns[0].tolist() == [100, 102, 104]
    assert dataset.calls == [(slice(0, 3), None)]


def test_transform_batch_must_keep_the_length(table):
    view = table(keys=('a',), mode=None).transform_batch(('x',), lambda a: (a + [0],))
    with pytest.raises(ValueError, match='expected 10'):
        view.get_examples(None, None)


def test_transform_must_keep_its_kind_of_result(table):
    results = iter([(1,), {'x': 1}])
    view = table(keys=('a',), mode=None).transform(('x',), lambda a: next(results))
    view.get_examples([0], None)
    with pytest.raises(ValueError, match='same kind'):
        view.get_examples([0], None)


def test_transform_must_give_one_value_per_key(table):
    view = table(keys=('a',), mode=None).transform(('x', 'y'), lambda a: (a,))
    with pytest.raises(ValueError, match='2 values'):
        view.fetch()


def test_transform_uses_the_input_convert(table):
    dataset = table()
    dataset.convert = lambda data: 'converted'
    assert dataset.transform('x', lambda a, b, c: a).convert(None) == 'converted'


def test_transform_batch_of_device_arrays(device):
    dataset = tabular.from_data(('x', device.send(numpy.arange(4, dtype='f'))))
    column, = dataset.transform_batch('y', lambda x: x * 2).get_examples([3, 1], None)
    assert polychain.backend.get_device_from_array(column) == device
    numpy.testing.assert_array_equal(polychain.backend.CpuDevice().send(column), [6, 2])
