"""``unary_math_function_unittest``: the standard tests of an element-wise math function."""

from __future__ import annotations

import unittest
import warnings
from collections.abc import Callable
from typing import Any

import numpy

from polychain.gradient_check import check_backward, check_double_backward
from polychain.testing.array import assert_allclose
from polychain.testing.backend import BackendConfig, inject_backend_tests
from polychain.testing.parameterized import parameterize, product
from polychain.variable import Variable

#: The shapes and dtypes every decorated class is tested on.
_PARAMETERS = product({'shape': [(3, 2), ()],
                       'dtype': [numpy.float16, numpy.float32, numpy.float64]})
#: Chainer's CPU and CUDA configurations (the CUDA one is marked ``gpu``).
_BACKENDS = [{}, {'use_cuda': True}]
_TESTS = ['test_forward', 'test_backward', 'test_double_backward']


def _uniform_data(shape: tuple[int, ...], dtype: Any) -> tuple[numpy.ndarray, ...]:
    """``x``, ``gy`` and ``ggx`` uniform in [-1, 1]."""
    return tuple(numpy.random.uniform(-1, 1, shape).astype(dtype, copy=False)
                 for _ in range(3))


def _options(dtype: Any, float16: dict[str, Any], other: dict[str, Any],
             overrides: dict[str, Any] | None) -> dict[str, Any]:
    options = dict(float16 if numpy.dtype(dtype) == numpy.float16 else other)
    options.update(overrides or {})
    return options


def unary_math_function_unittest(
        func: Callable[[Variable], Variable], func_expected: Callable[..., Any] | None = None,
        label_expected: str | None = None,
        make_data: Callable[[tuple[int, ...], Any], tuple[numpy.ndarray, ...]] | None = None,
        is_linear: bool | None = None, forward_options: dict[str, Any] | None = None,
        backward_options: dict[str, Any] | None = None,
        double_backward_options: dict[str, Any] | None = None) -> Callable[[type], Any]:
    """A class decorator adding forward, backward and double-backward tests of ``func``.

    The ``unittest.TestCase`` gets ``test_forward``, ``test_backward`` and
    ``test_double_backward`` for shapes ``(3, 2)`` and ``()`` and dtypes
    float16, float32 and float64, on the CPU and CUDA configurations.

    Args:
        func: The function under test, taking and returning one Variable.
        func_expected: ``func_expected(x, dtype=dtype)`` computes the expected
            output from a NumPy input; NumPy's function of ``func``'s name by default.
        label_expected: Unused (Chainer's label of old-style functions).
        make_data: ``make_data(shape, dtype)`` returns NumPy arrays ``(x, gy,
            ggx)`` (or ``(x, gy)``, which skips the double-backward test);
            uniform in [-1, 1] by default.
        is_linear: Deprecated and unused.
        forward_options: ``atol``/``rtol`` of the forward comparison.
        backward_options: Keyword arguments of ``check_backward``.
        double_backward_options: Keyword arguments of ``check_double_backward``.

    Raises:
        ValueError: ``func_expected`` is omitted and NumPy has no function of ``func``'s name.
    """
    if func_expected is None:
        func_expected = getattr(numpy, func.__name__, None)
        if func_expected is None:
            raise ValueError(f'NumPy has no function corresponding to the function '
                             f'{func.__name__!r}; give func_expected')
    if is_linear is not None:
        warnings.warn('is_linear option is deprecated', DeprecationWarning, stacklevel=2)
    make_data = make_data or _uniform_data
    gradient_defaults = ({'eps': 2 ** -4, 'atol': 2 ** -4, 'rtol': 2 ** -4,
                          'dtype': numpy.float64}, {'atol': 1e-4, 'rtol': 1e-4})

    def decorate(klass: type) -> Any:
        if not issubclass(klass, unittest.TestCase):
            raise TypeError(f'unary_math_function_unittest: expected a unittest.TestCase '
                            f'subclass, received {klass!r}')
        user_set_up = klass.setUp

        def setUp(self: Any) -> None:  # noqa: N802 (unittest's name)
            data = make_data(self.shape, self.dtype)
            self.x, self.gy = data[0], data[1]
            self.ggx = data[2] if len(data) > 2 else None
            self.forward_options = _options(self.dtype, {'atol': 1e-3, 'rtol': 1e-3}, {},
                                            forward_options)
            self.backward_options = _options(self.dtype, *gradient_defaults, backward_options)
            self.double_backward_options = _options(self.dtype, *gradient_defaults,
                                                    double_backward_options)
            user_set_up(self)

        def test_forward(self: Any, backend_config: BackendConfig) -> None:
            x = backend_config.get_array(self.x)
            y = func(Variable(x))
            self.assertEqual(y.dtype, self.x.dtype)
            expected = func_expected(self.x.copy(), dtype=self.x.dtype)
            assert_allclose(y.array, expected, **self.forward_options)

        def test_backward(self: Any, backend_config: BackendConfig) -> None:
            x, gy = backend_config.get_array((self.x, self.gy))
            check_backward(func, x, gy, **self.backward_options)

        def test_double_backward(self: Any, backend_config: BackendConfig) -> None:
            if self.ggx is None:
                raise unittest.SkipTest('make_data returned no ggx')
            x, gy, ggx = backend_config.get_array((self.x, self.gy, self.ggx))
            check_double_backward(func, x, gy, ggx, **self.double_backward_options)

        for method in (setUp, test_forward, test_backward, test_double_backward):
            method.__qualname__ = f'{klass.__qualname__}.{method.__name__}'
            setattr(klass, method.__name__, method)
        return parameterize(*_PARAMETERS)(inject_backend_tests(_TESTS, _BACKENDS)(klass))
    return decorate
