"""FunctionTestCase fails, with informative messages, when the function under test is wrong."""

from __future__ import annotations

import numpy
import pytest

import polychain as chainer
from polychain import testing

from .devices import class_suffix, default_device_params, usable_device_without
from .test_function_test_case import Cube


class WrongBackwardCube(Cube):
    def backward(self, target_input_indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        return 2 * x * x * gy,


class WrongDoubleBackwardCube(Cube):
    """Correct first-order gradient, but its backward is not differentiable correctly."""

    def backward(self, target_input_indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        return 3 * chainer.Variable(x.array * x.array, requires_grad=False) * gy,


def make_case(function, expected=lambda x: x ** 3, device='@numpy', **attributes):
    """A decorated FunctionTestCase of ``function`` (kept out of this module's namespace)."""
    @testing.inject_backend_tests(None, [{'device': device}])
    class TestFunction(testing.FunctionTestCase):
        shape = (3, 2)
        dtype = numpy.float64

        def generate_inputs(self):
            return numpy.random.uniform(0.5, 1, self.shape).astype(self.dtype),

        def forward(self, inputs, device):
            return function(inputs[0]),

        def forward_expected(self, inputs):
            return numpy.asarray(expected(inputs[0])),

    cls, = TestFunction
    for name, value in attributes.items():
        setattr(cls, name, value)
    return cls


def outcome(result, test_name):
    """(kind, message) of the one test called ``test_name`` in a result."""
    for kind in ('failures', 'errors', 'skipped'):
        for case, message in getattr(result, kind):
            if case._testMethodName == test_name:
                return kind, message
    return 'passed', ''


def test_correct_function_passes(run_tests):
    result = run_tests(make_case(lambda x: x ** 3))
    assert result.testsRun == 3 and result.wasSuccessful() and not result.skipped


@pytest.mark.parametrize('device', default_device_params())
def test_wrong_backward_fails_test_backward(run_tests, device):
    result = run_tests(make_case(lambda x: WrongBackwardCube().apply((x,))[0], device=device))
    assert outcome(result, 'test_forward')[0] == 'passed'
    kind, message = outcome(result, 'test_backward')
    assert kind == 'failures'
    assert 'FunctionTestError: backward is not implemented correctly' in message
    assert f'TestFunction_{class_suffix(device)}.test_backward' in message
    assert 'check_backward failed' in message and 'directional derivative' in message


def test_wrong_double_backward_fails_only_test_double_backward(run_tests):
    result = run_tests(make_case(lambda x: WrongDoubleBackwardCube().apply((x,))[0]))
    assert outcome(result, 'test_forward')[0] == 'passed'
    assert outcome(result, 'test_backward')[0] == 'passed'
    kind, message = outcome(result, 'test_double_backward')
    assert kind == 'failures'
    assert 'double backward is not implemented correctly' in message


def test_wrong_forward_fails_test_forward_naming_values(run_tests):
    result = run_tests(make_case(lambda x: x * x))
    kind, message = outcome(result, 'test_forward')
    assert kind == 'failures'
    assert 'Outputs do not match the expected values' in message
    assert 'Indices of outputs that do not match: [0]' in message
    assert 'absolute error[i]' in message and 'x: [[' in message


def test_wrong_output_dtype_fails_test_forward(run_tests):
    result = run_tests(make_case(lambda x: chainer.functions.cast(x ** 3, 'float32')))
    kind, message = outcome(result, 'test_forward')
    assert kind == 'failures'
    assert 'Shapes and/or dtypes do not match' in message
    assert 'Expected shapes and dtypes: ((3, 2), float64)' in message
    assert 'Actual shapes and dtypes:   ((3, 2), float32)' in message


def test_forward_returning_a_variable_instead_of_a_tuple_fails(run_tests):
    cls = make_case(lambda x: x ** 3)
    cls.forward = lambda self, inputs, device: inputs[0] ** 3
    kind, message = outcome(run_tests(cls), 'test_forward')
    assert kind == 'failures'
    assert 'forward() must return a tuple of Variables' in message
    assert 'polychain.variable.Variable' in message


def test_forward_modifying_its_input_fails(run_tests):
    cls = make_case(lambda x: x ** 3)

    def forward_in_place(self, inputs, device):
        x, = inputs
        x.array[...] = 0
        return x ** 3,
    cls.forward = forward_in_place
    kind, message = outcome(run_tests(cls), 'test_forward')
    assert kind == 'failures'
    assert 'Input arrays have been modified during forward' in message


def test_skip_flags_skip_with_reason(run_tests):
    result = run_tests(make_case(lambda x: x ** 3, skip_backward_test=True,
                                 skip_double_backward_test=True))
    assert outcome(result, 'test_forward')[0] == 'passed'
    assert outcome(result, 'test_backward') == ('skipped', 'skip_backward_test is set')
    assert outcome(result, 'test_double_backward') == (
        'skipped', 'skip_double_backward_test is set')


def test_dtype_missing_on_device_skips(run_tests):
    device = usable_device_without('float16')
    if device is None:
        pytest.skip('every usable device has float16 arrays')
    cls = make_case(lambda x: x ** 3, device=device, dtype=numpy.float16)
    result = run_tests(cls)
    assert len(result.skipped) == 3
    assert all(reason == f'{device} has no float16 arrays' for _, reason in result.skipped)


def test_dodge_nondifferentiable_draws_new_inputs(run_tests):
    draws = []

    class Abs(chainer.FunctionNode):
        def forward(self, inputs):
            self.retain_inputs((0,))
            return abs(inputs[0]),

        def backward(self, indexes, grad_outputs):
            x, = self.get_retained_inputs()
            return chainer.functions.sign(x) * grad_outputs[0],

    cls = make_case(lambda x: Abs().apply((x,))[0], expected=numpy.abs,
                    dodge_nondifferentiable=True, skip_double_backward_test=True)

    def generate_inputs(self):
        draws.append(len(draws))
        value = 0.0 if len(draws) == 1 else 0.7  # the first draw sits on the kink
        return numpy.full((1,), value),
    cls.generate_inputs = generate_inputs
    result = run_tests(cls)
    assert result.wasSuccessful(), result.failures
    # test_backward runs first: its first draw is rejected, the second accepted;
    # test_forward draws once more
    assert len(draws) == 3


def test_undecorated_subclass_explains_what_is_missing(run_tests):
    class TestUndecorated(testing.FunctionTestCase):
        pass

    kind, message = outcome(run_tests(TestUndecorated), 'test_forward')
    assert kind == 'failures'
    assert 'expected a BackendConfig' in message and 'inject_backend_tests' in message


def test_base_class_is_not_collected_and_skips_under_unittest(run_tests):
    assert testing.FunctionTestCase.__test__ is False
    result = run_tests(testing.FunctionTestCase)
    assert len(result.skipped) == 3 and result.wasSuccessful()
