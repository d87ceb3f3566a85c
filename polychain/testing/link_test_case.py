"""``LinkTestCase``: forward and backward tests of a link, on any backend."""

from __future__ import annotations

import numbers
import unittest
from typing import Any

import numpy

from polychain.backend import Device
from polychain.gradient_check import check_backward
from polychain.link import Link
from polychain.parameter import Parameter
from polychain.testing.array import as_host_array
from polychain.testing.backend import BackendConfig
from polychain.testing.case_base import BackendCaseBase, TestError, format_array_props
from polychain.variable import Variable


class LinkTestError(TestError):
    """A :class:`LinkTestCase` test failed."""


def check_initializer_like(value: Any, where: str) -> None:
    """Raises ``TypeError`` unless ``value`` can initialize a parameter.

    Initializer-likes are ``None``, scalars, NumPy arrays and callables that
    fill an array (initializers); Variables are not.
    """
    if isinstance(value, Variable) or not (
            value is None or isinstance(value, (numbers.Number, numpy.ndarray, numpy.generic))
            or callable(value)):
        raise TypeError(f'{where}: expected initializer-likes (None, a scalar, a '
                        f'numpy.ndarray or an initializer), received {type(value).__name__}: '
                        f'{value!r}')


class LinkCaseBase(BackendCaseBase):
    """What :class:`LinkTestCase` and :class:`LinkInitializersTestCase` share."""

    __test__ = False
    error_class = LinkTestError
    param_names: tuple[str, ...] = ()

    def generate_params(self) -> tuple[Any, ...]:
        """Returns one initializer-like per entry of ``param_names``."""
        raise NotImplementedError(f'{type(self).__name__} must implement generate_params()')

    def create_link(self, initializers: tuple[Any, ...]) -> Link:
        """Returns the link under test, built with ``initializers``."""
        raise NotImplementedError(f'{type(self).__name__} must implement create_link()')

    def forward(self, link: Link, inputs: tuple[Variable, ...], device: Device
                ) -> tuple[Variable, ...]:
        """Applies the link; the default calls ``link(*inputs)``."""
        outputs = link(*inputs)
        return outputs if isinstance(outputs, tuple) else (outputs,)

    # -- helpers ----------------------------------------------------------------
    def _generate_params(self) -> tuple[Any, ...]:
        initializers = self.generate_params()
        if not isinstance(initializers, (tuple, list)):
            # Any length: they are what create_link takes, not one per param_names entry.
            raise TypeError(f'{type(self).__name__}.generate_params() must return a tuple or '
                            f'a list of initializers, received {initializers!r}')
        for initializer in initializers:
            check_initializer_like(initializer, f'{type(self).__name__}.generate_params()')
        return initializers

    def _create_link(self, device: Device, initializers: tuple[Any, ...] | None = None
                     ) -> Link:
        """The link built with ``initializers`` (default: ``generate_params()``), on ``device``.

        Raises:
            TypeError: ``create_link`` returned something other than a Link.
        """
        if initializers is None:
            initializers = self._generate_params()
        link = self.create_link(initializers)
        if not isinstance(link, Link):
            raise TypeError(f'{type(self).__name__}.create_link() must return a '
                            f'polychain.Link, received {type(link).__name__}')
        return link.to_device(device)

    def _input_variables(self, host_inputs: tuple[numpy.ndarray, ...]
                         ) -> tuple[Variable, ...]:
        return tuple(Variable(a, requires_grad=host.dtype.kind == 'f')
                     for a, host in zip(self._to_device(host_inputs), host_inputs))

    def _forward(self, link: Link, inputs: tuple[Variable, ...], device: Device
                 ) -> tuple[Variable, ...]:
        with self.backend_config:
            outputs = self.forward(link, inputs, device)
        self._check_output_variables(outputs, device, 'forward()')
        return outputs

    def _params(self, link: Link) -> list[Parameter]:
        params = []
        for name in self.param_names:
            target: Any = link
            for part in name.split('/'):
                target = getattr(target, part, None)
            if not isinstance(target, Parameter):
                self.error_class.fail(f'{type(self).__name__}.param_names: {name!r} is not a '
                                      f'Parameter of {type(link).__name__}')
            params.append(target)
        return params


class LinkTestCase(LinkCaseBase, unittest.TestCase):
    """A base class of link tests run on every backend configuration injected.

    Decorate the subclass with :func:`~polychain.testing.inject_backend_tests`;
    it gets ``test_forward`` and ``test_backward``.

    Required methods:

    - ``generate_params(self)``: a tuple of initializer-likes (arrays,
      scalars or initializers), one per entry of :attr:`param_names`.
    - ``create_link(self, initializers)``: a link built with them.
    - ``generate_inputs(self)``: a tuple of ``numpy.ndarray`` inputs.
    - ``forward_expected(self, link, inputs)``: the expected outputs computed
      from the link (moved to ``@numpy``) and the NumPy inputs.

    Optional methods: ``forward(self, link, inputs, device)`` (default:
    ``link(*inputs)``), ``before_test``, ``generate_grad_outputs`` and
    ``check_forward_outputs``.

    Attributes:
        param_names: Names of the link's parameters whose gradients
            ``test_backward`` checks (``'W'``, or ``'child/W'`` in a chain).
        check_forward_options, check_backward_options, skip_forward_test,
        skip_backward_test, dodge_nondifferentiable, numerical_grad_dtype,
        backend_config: As in :class:`~polychain.testing.FunctionTestCase`.
    """

    __test__ = False

    def forward_expected(self, link: Link, inputs: tuple[numpy.ndarray, ...]
                         ) -> tuple[numpy.ndarray, ...]:
        """The expected outputs, from the link on ``@numpy`` and the NumPy inputs."""
        raise NotImplementedError(f'{type(self).__name__} must implement forward_expected()')

    # -- the tests --------------------------------------------------------------
    def test_forward(self, backend_config: BackendConfig | None = None) -> None:
        """The outputs on the device match ``forward_expected``."""
        self.run_test_forward(backend_config)

    def test_backward(self, backend_config: BackendConfig | None = None) -> None:
        """Gradients of the inputs and of ``param_names`` match numerical ones."""
        self.run_test_backward(backend_config)

    def run_test_forward(self, backend_config: BackendConfig | None) -> None:
        """Runs the forward test on ``backend_config``."""
        device = self._start_test('test_forward', backend_config, self.skip_forward_test)
        link = self._create_link(device)
        host_inputs = self._generate_inputs()
        outputs = self._forward(link, self._input_variables(host_inputs), device)
        link.to_device('@numpy')
        expected = self._checked_host_arrays(
            self.forward_expected(link, tuple(a.copy() for a in host_inputs)),
            'forward_expected()')
        self.check_forward_outputs(tuple(y.array for y in outputs), expected)

    def run_test_backward(self, backend_config: BackendConfig | None) -> None:
        """Runs the backward test on ``backend_config``."""
        device = self._start_test('test_backward', backend_config, self.skip_backward_test)

        def check() -> None:
            link = self._create_link(device)
            host_inputs = self._generate_inputs()
            # A first forward pass initialises lazily created parameters.
            outputs = self._forward(link, self._input_variables(host_inputs), device)
            link.cleargrads()
            params = self._params(link)
            host_grad_outputs = self._generate_grad_outputs(
                tuple(as_host_array(y) for y in outputs))

            def forward(*inputs: Variable) -> tuple[Variable, ...]:
                return self._forward(link, inputs, device)
            forward.__name__ = f'{type(self).__name__}.forward'

            with self.error_class.raise_if_fail(
                    f'backward is not implemented correctly ({self._failure_context()}; '
                    f'inputs {format_array_props(host_inputs)}, params {self.param_names})'):
                check_backward(forward, self._to_device(host_inputs),
                               self._to_device(host_grad_outputs), params=params,
                               dtype=self.numerical_grad_dtype,
                               detect_nondifferentiable=self.dodge_nondifferentiable,
                               **self.check_backward_options)

        self._run_gradient_check(check)
