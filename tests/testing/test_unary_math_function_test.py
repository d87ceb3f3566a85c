"""unary_math_function_unittest."""

from __future__ import annotations

import unittest

import numpy
import pytest

from polychain import functions as F
from polychain import testing


def _no_numpy_counterpart(x):
    return x


def test_needs_a_numpy_function_or_func_expected():
    with pytest.raises(ValueError, match='_no_numpy_counterpart'):
        testing.unary_math_function_unittest(_no_numpy_counterpart)


def _generated(func, **kwargs):
    @testing.unary_math_function_unittest(func, **kwargs)
    class TestFunc(unittest.TestCase):
        pass
    return list(TestFunc)


def test_generates_shapes_dtypes_and_backends(run_tests):
    classes = _generated(F.square)
    assert {(cls.shape, numpy.dtype(cls.dtype).name) for cls in classes} == {
        (shape, dtype) for shape in [(3, 2), ()] for dtype in ['float16', 'float32', 'float64']}
    numpy_classes = [cls for cls in classes if '_numpy_' in cls.__name__]
    assert len(numpy_classes) == 6
    for cls in numpy_classes:
        result = run_tests(cls)
        assert result.testsRun == 3 and result.wasSuccessful(), result.failures + result.errors


def test_a_wrong_expected_function_fails(run_tests):
    classes = _generated(F.square, func_expected=lambda x, dtype: x + 1)
    result = run_tests(next(cls for cls in classes if '_numpy_' in cls.__name__))
    assert len(result.failures) == 1 and 'test_forward' in str(result.failures[0][0])
