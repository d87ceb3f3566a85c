"""FunctionTestCase's None gradients and array layouts; LinkInitializersTestCase;
the function_link module."""

from __future__ import annotations

import numpy
import pytest

import polychain as chainer
from polychain import initializers, testing
from polychain.testing import function_link

from .test_function_test_case_failures import outcome


class SumAndProduct(chainer.FunctionNode):
    """``(x + y, x * y)``; records the output gradients and input layouts it receives."""

    seen_grads: list = []
    seen_layouts: list = []

    def forward(self, inputs):
        x, y = inputs
        type(self).seen_layouts.append(x.flags.c_contiguous if hasattr(x, 'flags') else None)
        self.retain_inputs((0, 1))
        return x + y, x * y

    def backward(self, indexes, grad_outputs):
        type(self).seen_grads.append(tuple(g is None for g in grad_outputs))
        x, y = self.get_retained_inputs()
        g_sum, g_product = grad_outputs
        gx = gy = 0
        if g_sum is not None:
            gx, gy = g_sum, g_sum
        if g_product is not None:
            gx, gy = gx + g_product * y, gy + g_product * x
        return gx, gy


def make_case(grad_outputs=None, contiguous=None):
    @testing.inject_backend_tests(None, [{}])
    class TestSumAndProduct(testing.FunctionTestCase):
        skip_double_backward_test = True

        def generate_inputs(self):
            return tuple(numpy.random.uniform(-1, 1, (3, 2)) for _ in range(2))

        def forward(self, inputs, device):
            return SumAndProduct().apply(inputs)

        def forward_expected(self, inputs):
            x, y = inputs
            return x + y, x * y

    cls, = TestSumAndProduct
    cls.contiguous = contiguous
    if grad_outputs is not None:
        cls.generate_grad_outputs = lambda self, templates: grad_outputs(templates)
    return cls


def test_none_output_gradients_reach_backward_as_none(run_tests):
    SumAndProduct.seen_grads = []
    cls = make_case(lambda templates: (None, numpy.ones_like(templates[1])))
    result = run_tests(cls)
    assert result.wasSuccessful(), result.failures + result.errors
    assert SumAndProduct.seen_grads and set(SumAndProduct.seen_grads) == {(True, False)}


def test_grad_outputs_other_than_arrays_or_none_fail(run_tests):
    result = run_tests(make_case(lambda templates: ([1.0], None)))
    kind, message = outcome(result, 'test_backward')
    assert kind == 'failures' and 'numpy.ndarray values or None' in message


@pytest.mark.parametrize('contiguous, c_contiguous', [(None, False), ('C', True)])
def test_inputs_have_the_layout_asked_for(run_tests, contiguous, c_contiguous):
    SumAndProduct.seen_layouts = []
    cls = make_case(contiguous=contiguous)
    cls.skip_backward_test = True  # the numerical gradient passes copies
    assert run_tests(cls).wasSuccessful()
    assert set(SumAndProduct.seen_layouts) == {c_contiguous}


def test_as_noncontiguous_array():
    x = numpy.arange(6.0).reshape(2, 3)
    y = testing.array._as_noncontiguous_array(x)
    assert not (y.flags.c_contiguous or y.flags.f_contiguous)
    numpy.testing.assert_array_equal(x, y)
    assert testing.array.as_noncontiguous_array((None, numpy.ones(1)))[0] is None


def test_check_contiguousness():
    x = numpy.ones((2, 3))
    function_link._check_contiguousness(x, 'C')
    function_link.check_contiguousness(chainer.Variable(x[:, ::2]), None)
    with pytest.raises(AssertionError, match='C-contiguous'):
        function_link.check_contiguousness(x[:, ::2], 'C')
    with pytest.raises(AssertionError, match='non-contiguous'):
        function_link.check_contiguousness(x, None)
    with pytest.raises(ValueError):
        function_link.check_contiguousness(x, 'F')


class _Scale(chainer.Link):
    def __init__(self, initial_w=None, ignore_initializer=False):
        super().__init__()
        with self.init_scope():
            initial = initializers.Constant(0) if ignore_initializer else (
                initializers.Constant(1) if initial_w is None else initial_w)
            self.w = chainer.Parameter(initial, shape=(3,))

    def forward(self, x):
        return x * self.w


def make_initializers_case(candidates, ignore_initializer=False):
    @testing.inject_backend_tests(None, [{}])
    class TestScaleInitializers(testing.LinkInitializersTestCase):
        param_names = ('w',)

        def generate_params(self):
            return numpy.random.uniform(-1, 1, (3,)).astype(numpy.float32),

        def create_link(self, initializers):
            return _Scale(initializers[0], ignore_initializer)

        def generate_inputs(self):
            return numpy.ones((2, 3), numpy.float32),

        def get_initializers(self):
            return candidates,

    cls, = TestScaleInitializers
    return cls


def test_link_initializers_test_case_passes_for_a_correct_link(run_tests):
    cls = make_initializers_case(
        [initializers.Constant(2), 3, testing.InitializerArgument(None, 1)])
    result = run_tests(cls)
    assert result.testsRun == 1 and result.wasSuccessful(), result.failures + result.errors


def test_link_initializers_test_case_fails_for_an_ignored_initializer(run_tests):
    result = run_tests(make_initializers_case([0, 2], ignore_initializer=True))
    kind, message = outcome(result, 'test_initializers')
    assert kind == 'failures' and 'LinkTestError' in message and "'w'" in message


def test_variables_are_not_initializers(run_tests):
    result = run_tests(make_initializers_case([chainer.Variable(numpy.ones(3))]))
    kind, message = outcome(result, 'test_initializers')
    assert kind == 'errors' and 'TypeError' in message
    with pytest.raises(TypeError):
        testing.InitializerArgument(chainer.Variable(numpy.ones(3)), 0)


def test_create_link_must_return_a_link(run_tests):
    cls = make_initializers_case([0])
    cls.create_link = lambda self, initializers: numpy.ones(3)
    kind, message = outcome(run_tests(cls), 'test_initializers')
    assert kind == 'errors' and 'TypeError' in message and 'create_link' in message


def test_generate_params_must_give_a_sequence(run_tests):
    cls = make_initializers_case([0])
    cls.generate_params = lambda self: numpy.ones(3)
    kind, message = outcome(run_tests(cls), 'test_initializers')
    assert kind == 'errors' and 'TypeError' in message and 'tuple or a list' in message
