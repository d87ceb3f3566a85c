"""product, product_dict and parameterize."""

from __future__ import annotations

import sys
import unittest

import numpy
import pytest

from polychain import testing


def test_product_of_dict_gives_every_combination():
    assert testing.product({'a': [1, 2], 'b': ['x']}) == [{'a': 1, 'b': 'x'}, {'a': 2, 'b': 'x'}]


def test_product_of_lists_of_dicts_merges_them():
    combined = testing.product([[{'a': 1}, {'a': 2}], [{'b': 3}]])
    assert combined == [{'a': 1, 'b': 3}, {'a': 2, 'b': 3}]
    assert testing.product_dict([{'a': 1}], [{'b': 2}, {'b': 3}]) == [
        {'a': 1, 'b': 2}, {'a': 1, 'b': 3}]


def test_product_rejects_other_types():
    with pytest.raises(TypeError, match='product: expected a dict of lists'):
        testing.product(3)


def test_parameterize_generates_named_subclasses_with_attributes():
    @testing.parameterize(*testing.product({'shape': [(3, 2), ()],
                                             'dtype': [numpy.float32]}))
    class TestShapes(unittest.TestCase):
        def test_shape(self):
            assert isinstance(self.shape, tuple)

    assert len(TestShapes) == 2
    first, second = TestShapes
    assert first.__name__ == 'TestShapes_param_0_{dtype=float32, shape=(3, 2)}'
    assert (first.shape, first.dtype) == ((3, 2), numpy.float32)
    assert second.shape == ()
    assert all(issubclass(cls, unittest.TestCase) for cls in TestShapes)


def test_failures_name_the_parameters(run_tests):
    @testing.parameterize({'value': 1}, {'value': 2})
    class TestValue(unittest.TestCase):
        def test_value(self):
            assert self.value == 1

    results = [run_tests(cls) for cls in TestValue]
    assert results[0].wasSuccessful()
    (_, message), = results[1].failures
    assert 'Parameterized test failed: TestValue.test_value' in message
    assert 'value: 2' in message


def test_stacked_decorators_multiply_cases():
    @testing.parameterize({'a': 1}, {'a': 2})
    @testing.parameterize({'b': 1}, {'b': 2}, {'b': 3})
    class TestBoth:
        def test_nothing(self):
            pass

    assert len(TestBoth) == 6
    assert {(cls.a, cls.b) for cls in TestBoth} == {(a, b) for a in (1, 2) for b in (1, 2, 3)}


@testing.parameterize({'n': 1}, {'n': 2})
class TestPytestClass:
    def test_n_is_set(self):
        assert self.n in (1, 2)


def test_module_level_classes_are_published_for_collection():
    names = [name for name in globals() if name.startswith('TestPytestClass_param_')]
    assert sorted(names) == ['TestPytestClass_param_0_{n=1}', 'TestPytestClass_param_1_{n=2}']


def test_product_splits_combined_keys():
    assert testing.product({'a,b': [(1, 2), (3, 4)], 'c': [5]}) == [
        {'a': 1, 'b': 2, 'c': 5}, {'a': 3, 'b': 4, 'c': 5}]


def test_parameterize_pytest_and_from_pytest_parameterize():
    assert testing.from_pytest_parameterize('a, b', [(1, 2)]) == [{'a': 1, 'b': 2}]
    assert testing.from_pytest_parameterize(['a'], [1, 2]) == [{'a': 1}, {'a': 2}]
    with pytest.raises(ValueError, match='expected 2 values'):
        testing.from_pytest_parameterize('a,b', [(1,)])

    @testing.parameterize_pytest('a,b', [(1, 2), (3, 4)])
    class TestPairs:
        pass

    assert [(cls.a, cls.b) for cls in TestPairs] == [(1, 2), (3, 4)]


def _identity(x):
    return x


def test_function_parameters_stay_plain_functions(run_tests):
    @testing.parameterize({'f': _identity}, {'f': lambda x: x})
    class TestCallable(unittest.TestCase):
        def test_call(self):
            assert self.f(1) == 1

    for cls in TestCallable:
        assert run_tests(cls).wasSuccessful()


@testing.inject_backend_tests(None, [{}])
@testing.parameterize({'x': 0.5})
class TestDottedNames(unittest.TestCase):
    def test_x(self, backend_config):
        assert self.x == 0.5


def test_classes_generated_from_dotted_names_are_published():
    module = sys.modules[__name__]
    names = [name for name, value in vars(module).items()
             if name.startswith('TestDottedNames') and isinstance(value, type)]
    assert names == ['TestDottedNames_param_0_{x=0.5}_numpy']
    assert getattr(module, names[0]).__qualname__ == names[0]


def _square(x):
    return x * x


def test_class_names_carry_no_memory_addresses():
    class TestNamed(unittest.TestCase):
        pass

    bundle = testing.parameterize({'function': _square}, {'function': lambda x: x},
                                  {'marker': object()})(TestNamed)
    names = [case.__name__ for case in bundle]
    assert names[0].endswith('{function=<function _square>}')
    assert not [name for name in names if '0x' in name]


def test_pairwise_product_dict_covers_every_pair_with_fewer_combinations():
    from polychain.testing import parameterized
    lists = [[{'a': i} for i in range(3)], [{'b': i} for i in range(3)],
             [{'c': i} for i in range(3)], [{'d': i} for i in range(2)]]
    combinations = parameterized._pairwise_product_dict(*lists)
    assert len(combinations) < len(testing.product_dict(*lists))
    for first, second in [('a', 'b'), ('a', 'c'), ('b', 'd'), ('c', 'd')]:
        pairs = {(c[first], c[second]) for c in combinations}
        assert len(pairs) == len(lists['abcd'.index(first)]) * len(lists['abcd'.index(second)])
    assert parameterized._pairwise_product_dict(*lists[:2]) == testing.product_dict(*lists[:2])
    assert parameterized._product_dict_orig is testing.product_dict


def test_class_names_show_arrays_by_shape_and_dtype():
    class TestArrays(unittest.TestCase):
        pass

    bundle = testing.parameterize({'data': (numpy.random.rand(2, 3),)},
                                  {'data': [numpy.zeros(1, 'f')]})(TestArrays)
    assert bundle.cases[0].__name__.endswith('{data=(array(shape=(2, 3), dtype=float64),)}')
    assert bundle.cases[1].__name__.endswith('{data=[array(shape=(1,), dtype=float32)]}')
