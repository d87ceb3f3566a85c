"""``FunctionTestCase``: forward, backward and double-backward tests of a function."""

from __future__ import annotations

import unittest
from typing import Any

import numpy

from polychain.backend import Device
from polychain.gradient_check import check_backward, check_double_backward
from polychain.testing.backend import BackendConfig
from polychain.testing.case_base import BackendCaseBase, TestError, format_array_props
from polychain.variable import Variable


class FunctionTestError(TestError):
    """A :class:`FunctionTestCase` test failed."""


class FunctionTestCase(BackendCaseBase, unittest.TestCase):
    """A base class of function tests run on every backend configuration injected.

    Decorate the subclass with :func:`~polychain.testing.inject_backend_tests`
    (and usually :func:`~polychain.testing.parameterize`); it gets
    ``test_forward``, ``test_backward`` and ``test_double_backward``.

    Required methods:

    - ``generate_inputs(self)``: a tuple of ``numpy.ndarray`` inputs.
    - ``forward(self, inputs, device)``: the function under test applied to
      ``inputs`` (Variables on ``device``); returns a tuple of Variables.
    - ``forward_expected(self, inputs)``: the expected outputs computed from
      the NumPy inputs, a tuple of ``numpy.ndarray``.

    Optional methods: ``before_test(self, test_name)``,
    ``generate_grad_outputs(self, outputs_template)``,
    ``generate_grad_grad_inputs(self, inputs_template)`` (both may give
    ``None`` for an output, or input, without a gradient) and
    ``check_forward_outputs(self, outputs, expected_outputs)``.

    Attributes (class attributes, or set in ``setUp``):
        check_forward_options: ``atol``/``rtol`` for the forward comparison.
        check_backward_options: Keyword arguments of
            :func:`~polychain.gradient_check.check_backward`.
        check_double_backward_options: Keyword arguments of
            :func:`~polychain.gradient_check.check_double_backward`.
        skip_forward_test, skip_backward_test, skip_double_backward_test:
            Skip that test.
        dodge_nondifferentiable: Draw new inputs when the gradient check finds
            them at a non-differentiable point.
        numerical_grad_dtype: The dtype of the numerical gradient pass.
        contiguous: ``None`` (the default) passes non-contiguous arrays where
            the array library has strides; ``'C'`` C-contiguous ones.
        backend_config: The :class:`~polychain.testing.BackendConfig` of the
            running test.
    """

    __test__ = False
    error_class = FunctionTestError
    skip_double_backward_test = False
    check_double_backward_options: dict[str, Any] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.check_double_backward_options = dict(
            type(self).check_double_backward_options or {})

    def forward(self, inputs: tuple[Variable, ...], device: Device) -> tuple[Variable, ...]:
        """Applies the function under test; returns a tuple of Variables."""
        raise NotImplementedError(f'{type(self).__name__} must implement forward()')

    def forward_expected(self, inputs: tuple[numpy.ndarray, ...]) -> tuple[numpy.ndarray, ...]:
        """The expected outputs of ``forward`` for the NumPy ``inputs``."""
        raise NotImplementedError(f'{type(self).__name__} must implement forward_expected()')

    def generate_grad_grad_inputs(self, inputs_template: tuple[numpy.ndarray, ...]
                                  ) -> tuple[numpy.ndarray, ...]:
        """Gradients of the input gradients, shaped like ``inputs_template``."""
        return tuple(numpy.random.uniform(-1, 1, a.shape).astype(a.dtype)
                     for a in inputs_template)

    # -- the tests --------------------------------------------------------------
    def test_forward(self, backend_config: BackendConfig | None = None) -> None:
        """The outputs on the device match ``forward_expected``; inputs stay unchanged."""
        self.run_test_forward(backend_config)

    def test_backward(self, backend_config: BackendConfig | None = None) -> None:
        """The gradients match numerical ones (``check_backward``)."""
        self.run_test_backward(backend_config)

    def test_double_backward(self, backend_config: BackendConfig | None = None) -> None:
        """The second-order gradients match numerical ones (``check_double_backward``)."""
        self.run_test_double_backward(backend_config)

    def run_test_forward(self, backend_config: BackendConfig | None) -> None:
        """Runs the forward test on ``backend_config``."""
        device = self._start_test('test_forward', backend_config, self.skip_forward_test)
        host_inputs = self._generate_inputs()
        originals = tuple(a.copy() for a in host_inputs)
        expected = self._forward_expected(tuple(a.copy() for a in host_inputs))
        inputs = self._to_device(host_inputs)
        variables = tuple(Variable(a, requires_grad=host.dtype.kind == 'f')
                          for a, host in zip(inputs, host_inputs))
        outputs = self._forward(variables, device)
        self._check_inputs_unchanged(originals, inputs)
        self.check_forward_outputs(tuple(y.array for y in outputs), expected)

    def run_test_backward(self, backend_config: BackendConfig | None) -> None:
        """Runs the backward test on ``backend_config``."""
        device = self._start_test('test_backward', backend_config, self.skip_backward_test)

        def check() -> None:
            host_inputs, host_grad_outputs = self._generate_gradient_data()
            inputs = self._to_device(host_inputs)
            forward, grad_outputs = self._numeric_forward(device, self._to_device(
                host_grad_outputs))
            with self.error_class.raise_if_fail(self._gradient_failure(
                    'backward', host_inputs)):
                check_backward(forward, inputs, grad_outputs,
                               dtype=self.numerical_grad_dtype,
                               detect_nondifferentiable=self.dodge_nondifferentiable,
                               **self.check_backward_options)

        self._run_gradient_check(check)

    def run_test_double_backward(self, backend_config: BackendConfig | None) -> None:
        """Runs the double-backward test on ``backend_config``."""
        device = self._start_test('test_double_backward', backend_config,
                                  self.skip_double_backward_test)

        def check() -> None:
            host_inputs, host_grad_outputs = self._generate_gradient_data()
            grad_grad_inputs = self._checked_host_arrays(
                self.generate_grad_grad_inputs(host_inputs), 'generate_grad_grad_inputs()',
                allow_none=True)
            # Only differentiable (floating) inputs have gradients to differentiate.
            grad_grad_inputs = tuple(gg for gg, x in zip(grad_grad_inputs, host_inputs)
                                     if x.dtype.kind == 'f')
            inputs = self._to_device(host_inputs)
            forward, grad_outputs = self._numeric_forward(device, self._to_device(
                host_grad_outputs))
            grad_grad_inputs = self._to_device(grad_grad_inputs)
            with self.error_class.raise_if_fail(self._gradient_failure(
                    'double backward', host_inputs)):
                check_double_backward(forward, inputs, grad_outputs,
                                      grad_grad_inputs, dtype=self.numerical_grad_dtype,
                                      detect_nondifferentiable=self.dodge_nondifferentiable,
                                      **self.check_double_backward_options)

        self._run_gradient_check(check)

    # -- helpers ----------------------------------------------------------------
    def _forward_expected(self, inputs: tuple[numpy.ndarray, ...]) -> tuple[numpy.ndarray, ...]:
        return self._checked_host_arrays(self.forward_expected(inputs), 'forward_expected()')

    def _forward(self, inputs: tuple[Variable, ...], device: Device) -> tuple[Variable, ...]:
        with self.backend_config:
            outputs = self.forward(inputs, device)
        self._check_output_variables(outputs, device, 'forward()')
        return outputs

    def _numeric_forward(self, device: Device, grad_outputs: tuple[Any, ...]
                         ) -> tuple[Any, tuple[Any, ...]]:
        """The forward function for the gradient checks and its output gradients.

        Outputs whose gradient is ``None`` are left out, so that no gradient
        flows from them: their ``backward`` receives ``None`` for them.
        """
        kept = [i for i, g in enumerate(grad_outputs) if g is not None]

        def forward(*inputs: Variable) -> tuple[Variable, ...]:
            outputs = self._forward(inputs, device)
            if len(outputs) != len(grad_outputs):
                self.error_class.fail(
                    f'{type(self).__name__}.generate_grad_outputs() returned '
                    f'{len(grad_outputs)} gradients for {len(outputs)} outputs')
            return tuple(outputs[i] for i in kept)
        forward.__name__ = f'{type(self).__name__}.forward'
        return forward, tuple(grad_outputs[i] for i in kept)

    def _generate_gradient_data(self) -> tuple[tuple[numpy.ndarray, ...],
                                               tuple[numpy.ndarray, ...]]:
        host_inputs = self._generate_inputs()
        expected = self._forward_expected(tuple(a.copy() for a in host_inputs))
        return host_inputs, self._generate_grad_outputs(expected)

    def _gradient_failure(self, what: str, host_inputs: tuple[numpy.ndarray, ...]) -> str:
        return (f'{what} is not implemented correctly ({self._failure_context()}; '
                f'inputs {format_array_props(host_inputs)})')

