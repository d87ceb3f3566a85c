"""What function and link test cases share: validation, skips, comparison and errors."""

from __future__ import annotations

import contextlib
import io
import unittest
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy

from polychain.backend import Device
from polychain.gradient_check import NondifferentiableError
from polychain.testing.array import as_host_array, as_noncontiguous_array, assert_allclose
from polychain.testing.backend import BackendConfig
from polychain.variable import Variable

#: How often a gradient test draws new inputs when they land on a non-differentiable point.
MAX_NONDIFFERENTIABLE_RETRIES = 20


class TestError(AssertionError):
    """A test of a function or link failed; the message says what and where."""

    __test__ = False

    @classmethod
    def check(cls, expr: bool, message: str) -> None:
        """Raises this error with ``message`` unless ``expr`` holds."""
        if not expr:
            raise cls(message)

    @classmethod
    def fail(cls, message: str, exc: BaseException | None = None) -> None:
        """Raises this error with ``message``, chained to ``exc`` if given."""
        raise cls(message) from exc

    @classmethod
    @contextlib.contextmanager
    def raise_if_fail(cls, message: str, error_types: Any = AssertionError) -> Iterator[None]:
        """Turns ``error_types`` raised in the block into this error, ``message`` first."""
        try:
            yield
        except error_types as error:
            raise cls(f'{message}\n\n{type(error).__name__}: {error}') from error


def _type_name(value: Any) -> str:
    kind = type(value)
    return f'{kind.__module__}.{kind.__qualname__}'


def format_array_props(arrays: Sequence[Any]) -> str:
    """``(shape, dtype)`` of each array, for messages."""
    return ', '.join(f'({tuple(a.shape)}, {a.dtype})' if a is not None else 'None'
                     for a in arrays)


class BackendCaseBase:
    """The machinery of :class:`FunctionTestCase` and :class:`LinkTestCase`.

    Subclasses of the concrete test cases are collected by test runners;
    the base classes themselves are not.
    """

    __test__ = False
    #: The :class:`TestError` subclass raised on failures.
    error_class: type[TestError] = TestError

    backend_config: BackendConfig | None = None
    test_name: str | None = None
    skip_forward_test = False
    skip_backward_test = False
    dodge_nondifferentiable = False
    numerical_grad_dtype: Any = numpy.float64
    #: The layout of the arrays a test passes: ``None`` makes them non-contiguous
    #: where the array library has strides (NumPy, CuPy), ``'C'`` C-contiguous.
    contiguous: str | None = None
    check_forward_options: dict[str, Any] | None = None
    check_backward_options: dict[str, Any] | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if '__test__' not in cls.__dict__:
            cls.__test__ = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per-test copies, so that ``setUp`` may ``update`` them.
        self.check_forward_options = dict(type(self).check_forward_options or {})
        self.check_backward_options = dict(type(self).check_backward_options or {})

    # -- methods users may override -------------------------------------------
    def before_test(self, test_name: str) -> None:
        """Called before each test; may raise ``unittest.SkipTest``."""

    def generate_inputs(self) -> tuple[numpy.ndarray, ...]:
        """Returns the inputs, a tuple of ``numpy.ndarray``."""
        raise NotImplementedError(f'{type(self).__name__} must implement generate_inputs()')

    def generate_grad_outputs(self, outputs_template: tuple[numpy.ndarray, ...]
                              ) -> tuple[numpy.ndarray, ...]:
        """Returns output gradients shaped like ``outputs_template`` (uniform in [-1, 1])."""
        return tuple(numpy.random.uniform(-1, 1, a.shape).astype(a.dtype)
                     for a in outputs_template)

    def check_forward_outputs(self, outputs: tuple[Any, ...],
                              expected_outputs: tuple[numpy.ndarray, ...]) -> None:
        """Compares the outputs with the expected ones (``check_forward_options`` apply)."""
        check_arrays_equal(outputs, expected_outputs, self.error_class,
                           **self.check_forward_options)

    # -- machinery ------------------------------------------------------------
    def _start_test(self, test_name: str, backend_config: BackendConfig | None,
                    skip: bool) -> Device:
        """Records the test, applies the skips and returns the device it runs on."""
        if backend_config is None:
            if type(self).__test__ is False:
                raise unittest.SkipTest(f'{type(self).__name__} is a base class without tests')
            self.error_class.fail(
                f'{type(self).__name__}.{test_name}: expected a BackendConfig, received none; '
                f'decorate the class with polychain.testing.inject_backend_tests(None, '
                f'[{{}}, ...])')
        if skip:
            raise unittest.SkipTest(f'skip_{test_name[len("test_"):]}_test is set')
        self.backend_config = backend_config
        self.test_name = test_name
        device = backend_config.device
        self.before_test(test_name)
        return device

    def _checked_host_arrays(self, arrays: Any, method_name: str, allow_none: bool = False
                             ) -> tuple[numpy.ndarray, ...]:
        """``arrays`` returned by a user method, checked to be a tuple of NumPy arrays
        (or ``None`` entries where ``allow_none``).

        NumPy scalars (what NumPy operations on 0-d arrays return) become 0-d arrays.
        """
        if not isinstance(arrays, tuple):
            self.error_class.fail(f'{type(self).__name__}.{method_name} must return a tuple of '
                                 f'numpy.ndarray, received {_type_name(arrays)}')
        bad = [i for i, a in enumerate(arrays)
               if not (isinstance(a, (numpy.ndarray, numpy.generic))
                       or (allow_none and a is None))]
        if bad:
            kinds = [_type_name(arrays[i]) for i in bad]
            self.error_class.fail(f'{type(self).__name__}.{method_name} must return '
                                 f'numpy.ndarray values{" or None" if allow_none else ""}; '
                                 f'entries {bad} are {kinds}')
        return tuple(None if a is None else numpy.asarray(a) for a in arrays)

    def _generate_inputs(self) -> tuple[numpy.ndarray, ...]:
        return self._checked_host_arrays(self.generate_inputs(), 'generate_inputs()')

    def _generate_grad_outputs(self, outputs_template: tuple[numpy.ndarray, ...]
                               ) -> tuple[numpy.ndarray | None, ...]:
        """The output gradients; ``None`` entries stand for outputs without a gradient."""
        return self._checked_host_arrays(self.generate_grad_outputs(outputs_template),
                                         'generate_grad_outputs()', allow_none=True)

    def _to_device(self, arrays: tuple[numpy.ndarray | None, ...]) -> tuple[Any, ...]:
        """Sends host arrays to the test's device in the layout ``contiguous`` asks for.

        ``None`` entries stay ``None``. Skips if the device lacks one of the dtypes.
        """
        if self.contiguous not in (None, 'C'):
            self.error_class.fail(f"{type(self).__name__}.contiguous must be None or 'C', "
                                  f'received {self.contiguous!r}')
        device = self.backend_config.device
        for a in arrays:
            if a is not None and not hasattr(device.namespace, a.dtype.name):
                raise unittest.SkipTest(f'{device} has no {a.dtype.name} arrays')
        sent = tuple(None if a is None else self.backend_config.get_array(a) for a in arrays)
        return sent if self.contiguous == 'C' else as_noncontiguous_array(sent)

    def _check_output_variables(self, outputs: Any, device: Device, method_name: str) -> None:
        if not isinstance(outputs, tuple):
            self.error_class.fail(f'{type(self).__name__}.{method_name} must return a tuple of '
                                 f'Variables, received {_type_name(outputs)}')
        for i, y in enumerate(outputs):
            if not isinstance(y, Variable):
                self.error_class.fail(f'{type(self).__name__}.{method_name} must return '
                                     f'Variables; output {i} is {_type_name(y)}')
            if y.device != device:
                self.error_class.fail(f'{type(self).__name__}.{method_name}: output {i} is on '
                                     f'{y.device}, expected {device} like the inputs')

    def _check_inputs_unchanged(self, originals: Sequence[numpy.ndarray],
                                inputs: Sequence[Any]) -> None:
        changed = [i for i, (before, after) in enumerate(zip(originals, inputs))
                   if not numpy.array_equal(before, as_host_array(after),
                                            equal_nan=before.dtype.kind in 'fc')]
        if changed:
            self.error_class.fail(f'Input arrays have been modified during forward.\n'
                                 f'Indices of modified inputs: {changed}\n'
                                 f'Input array shapes and dtypes: '
                                 f'{format_array_props(originals)}')

    def _run_gradient_check(self, check: Callable[[], None]) -> None:
        """Runs ``check``, drawing new inputs while they hit non-differentiable points."""
        if not self.dodge_nondifferentiable:
            check()
            return
        for _ in range(MAX_NONDIFFERENTIABLE_RETRIES):
            try:
                check()
            except NondifferentiableError:
                continue
            return
        self.error_class.fail(f'{type(self).__name__}.{self.test_name}: the generated inputs '
                             f'were at non-differentiable points in '
                             f'{MAX_NONDIFFERENTIABLE_RETRIES} draws; make generate_inputs() '
                             f'keep away from them')

    def _failure_context(self) -> str:
        return f'{type(self).__name__}.{self.test_name} on {self.backend_config!r}'


def check_arrays_equal(actual_arrays: Sequence[Any], expected_arrays: Sequence[Any],
                       error_class: type[TestError], **options: Any) -> None:
    """Raises ``error_class`` unless the arrays match in number, shape, dtype and values.

    Args:
        actual_arrays: Arrays of any backend.
        expected_arrays: The expected arrays (NumPy).
        error_class: The error class to raise.
        options: ``atol`` / ``rtol`` for :func:`assert_allclose`.
    """
    actual = [as_host_array(a) for a in actual_arrays]
    expected = [as_host_array(a) for a in expected_arrays]
    message, details = None, ''
    if len(actual) != len(expected):
        message = f'Number of outputs ({len(actual)}, {len(expected)}) does not match'
    elif any(a.shape != e.shape or a.dtype != e.dtype for a, e in zip(actual, expected)):
        message = 'Shapes and/or dtypes do not match'
    else:
        out = io.StringIO()
        failed = []
        for i, (a, e) in enumerate(zip(actual, expected)):
            try:
                assert_allclose(a, e, **options)
            except AssertionError as error:
                failed.append(i)
                out.write(f'Error details of output [{i}]:\n{error}\n')
        if failed:
            message = ('Outputs do not match the expected values.\n'
                       f'Indices of outputs that do not match: {failed}')
            details = '\n\n' + out.getvalue()
    if message is not None:
        error_class.fail(f'{message}\nExpected shapes and dtypes: {format_array_props(expected)}'
                        f'\nActual shapes and dtypes:   {format_array_props(actual)}{details}')
