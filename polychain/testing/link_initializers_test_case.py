"""``LinkInitializersTestCase``: a link's parameters start as its initializer arguments say."""

from __future__ import annotations

import unittest
from collections.abc import Sequence
from typing import Any

from polychain.backend import Device
from polychain.initializers import generate_array, get_initializer
from polychain.testing.array import as_host_array
from polychain.testing.backend import BackendConfig
from polychain.testing.case_base import check_arrays_equal
from polychain.testing.link_test_case import LinkCaseBase, check_initializer_like


class InitializerArgument:
    """An initializer argument of a link and the initializer it stands for.

    For arguments that do not initialize the parameter directly, e.g.
    ``InitializerArgument(None, 0)`` for a link whose bias starts at zero
    when its ``initial_bias`` is ``None``.

    Args:
        argument_value: What is passed to ``create_link``.
        expected_initializer: The initializer-like the parameter must be
            initialized with.
    """

    def __init__(self, argument_value: Any, expected_initializer: Any) -> None:
        check_initializer_like(argument_value, 'InitializerArgument')
        check_initializer_like(expected_initializer, 'InitializerArgument')
        self.argument_value = argument_value
        self.expected_initializer = expected_initializer

    def __repr__(self) -> str:
        return f'InitializerArgument({self.argument_value!r}, {self.expected_initializer!r})'


def _argument(initializer: Any) -> Any:
    return initializer.argument_value if isinstance(initializer, InitializerArgument) \
        else initializer


def _expected(initializer: Any) -> Any:
    return initializer.expected_initializer if isinstance(initializer, InitializerArgument) \
        else initializer


class LinkInitializersTestCase(LinkCaseBase, unittest.TestCase):
    """A base class testing that a link initializes its parameters as told.

    Decorate the subclass with :func:`~polychain.testing.inject_backend_tests`;
    it gets ``test_initializers``, which builds the link once per initializer
    of :meth:`get_initializers` (the other parameters taking theirs from
    ``generate_params``) and compares the parameter with the array the
    (expected) initializer generates.

    Required methods: ``generate_params``, ``create_link`` and
    ``generate_inputs`` (as in :class:`~polychain.testing.LinkTestCase`; the
    inputs initialize parameters a link creates on its first call), and
    ``get_initializers(self)``: a tuple with, per entry of ``param_names``, a
    list of initializer-likes or :class:`InitializerArgument`\\ s to try.
    Optional: ``forward`` and ``before_test``.
    """

    __test__ = False

    def get_initializers(self) -> tuple[Sequence[Any], ...]:
        """Per parameter, the initializer-likes (or InitializerArguments) to test."""
        raise NotImplementedError(f'{type(self).__name__} must implement get_initializers()')

    def test_initializers(self, backend_config: BackendConfig | None = None) -> None:
        """Each parameter holds what its initializer generates."""
        self.run_test_initializers(backend_config)

    def run_test_initializers(self, backend_config: BackendConfig | None) -> None:
        """Runs the initializer test on ``backend_config``."""
        device = self._start_test('test_initializers', backend_config, False)
        candidates = self.get_initializers()
        if not isinstance(candidates, tuple) or len(candidates) != len(self.param_names):
            self.error_class.fail(
                f'{type(self).__name__}.get_initializers() must return a tuple with one list '
                f'of initializers per param_names entry {self.param_names}, received '
                f'{candidates!r}')
        for index, initializers in enumerate(candidates):
            for initializer in initializers:
                check_initializer_like(_argument(initializer),
                                        f'{type(self).__name__}.get_initializers()')
                self._check_initializer(device, index, initializer)

    def _check_initializer(self, device: Device, index: int, initializer: Any) -> None:
        arguments = list(self._generate_params())
        arguments[index] = _argument(initializer)
        link = self._create_link(device, tuple(arguments))
        param = self._params(link)[index]
        if param.array is None:  # created on the first call
            self._forward(link, self._input_variables(self._generate_inputs()), device)
        actual = as_host_array(param.array)
        expected = as_host_array(generate_array(get_initializer(_expected(initializer)),
                                                actual.shape, dtype=actual.dtype))
        with self.error_class.raise_if_fail(
                f'{type(self).__name__}: parameter {self.param_names[index]!r} is not '
                f'initialized by {initializer!r} ({self._failure_context()})'):
            check_arrays_equal((actual,), (expected,), self.error_class, atol=0, rtol=0)
