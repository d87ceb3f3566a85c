"""LinkTestCase on L.Linear, as a Chainer v7 user writes it."""

from __future__ import annotations

import numpy
import pytest

import polychain as chainer
import polychain.links as L
from polychain import testing

from .devices import default_device_params


@testing.parameterize(*testing.product({'dtype': [numpy.float32, numpy.float64]}))
@testing.inject_backend_tests(None, [{}] + testing.available_backend_configs())
class TestLinear(testing.LinkTestCase):
    param_names = ('W', 'b')

    def setUp(self):
        if self.dtype == numpy.float32:
            self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}

    def generate_params(self):
        W = numpy.random.uniform(-1, 1, (2, 3)).astype(self.dtype)
        b = numpy.random.uniform(-1, 1, (2,)).astype(self.dtype)
        return W, b

    def create_link(self, initializers):
        W, b = initializers
        return L.Linear(3, 2, initialW=W, initial_bias=b)

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (4, 3)).astype(numpy.float32),

    def forward_expected(self, link, inputs):
        x, = inputs
        return (x @ link.W.array.T + link.b.array).astype(numpy.float32),


def make_case(link_factory, device):
    @testing.inject_backend_tests(None, [{'device': device}])
    class TestLink(testing.LinkTestCase):
        param_names = ('W',)

        def generate_params(self):
            return numpy.random.uniform(-1, 1, (2, 3)),

        def create_link(self, initializers):
            return link_factory(initializers[0])

        def generate_inputs(self):
            return numpy.random.uniform(-1, 1, (4, 3)).astype(numpy.float32),

        def forward_expected(self, link, inputs):
            return (inputs[0] @ link.W.array.T).astype(numpy.float32),

    cls, = TestLink
    return cls


class WrongGradientLinear(chainer.Link):
    """x W^T whose W gradient is doubled, through a custom FunctionNode."""

    def __init__(self, w):
        super().__init__()
        with self.init_scope():
            self.W = chainer.Parameter(w.astype(numpy.float32))

    def forward(self, x):
        return WrongLinearFunction().apply((x, self.W))[0]


class WrongLinearFunction(chainer.FunctionNode):
    def forward(self, inputs):
        x, W = inputs
        self.retain_inputs((0, 1))
        return x @ W.T,

    def backward(self, indexes, grad_outputs):
        x, W = self.get_retained_inputs()
        gy, = grad_outputs
        return chainer.functions.matmul(gy, W), 2 * chainer.functions.matmul(gy, x, transa=True)


@pytest.mark.parametrize('device', default_device_params())
def test_correct_link_passes(run_tests, device):
    result = run_tests(make_case(lambda w: L.Linear(3, 2, initialW=w, nobias=True), device))
    assert result.testsRun == 2 and result.wasSuccessful(), result.failures
    assert not result.skipped


@pytest.mark.parametrize('device', default_device_params())
def test_wrong_parameter_gradient_fails_test_backward(run_tests, device):
    result = run_tests(make_case(WrongGradientLinear, device))
    (case, message), = result.failures
    assert case._testMethodName == 'test_backward'
    assert 'LinkTestError: backward is not implemented correctly' in message
    assert "params ('W',)" in message


def test_unknown_param_name_is_reported(run_tests):
    cls = make_case(lambda w: L.Linear(3, 2, initialW=w, nobias=True), '@numpy')
    cls.param_names = ('V',)
    (case, message), = run_tests(cls).failures
    assert "param_names: 'V' is not a Parameter of Linear" in message
