"""Chainer's old-style ``Function``: forward and backward on arrays, adapted into the graph."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import Function, Variable, cuda, gradient_check
from polychain.utils import type_check


class ProductAndSum(Function):
    """``(x * y, x + y)``, recording which of the CPU/GPU methods ran."""

    def __init__(self):
        self.ran = []
        self.received = None

    def _forward(self, inputs):
        x, y = inputs
        return x * y, x + y

    def forward_cpu(self, inputs):
        self.ran.append('forward_cpu')
        return self._forward(inputs)

    def forward_gpu(self, inputs):
        self.ran.append('forward_gpu')
        return self._forward(inputs)

    def _backward(self, inputs, grad_outputs):
        self.received = (inputs, grad_outputs)
        x, y = inputs
        g_product, g_sum = grad_outputs
        xp = cuda.get_array_module(x)
        if g_product is None:
            g_product = xp.zeros_like(x)
        if g_sum is None:
            g_sum = xp.zeros_like(x)
        return g_product * y + g_sum, g_product * x + g_sum

    def backward_cpu(self, inputs, grad_outputs):
        self.ran.append('backward_cpu')
        return self._backward(inputs, grad_outputs)

    def backward_gpu(self, inputs, grad_outputs):
        self.ran.append('backward_gpu')
        return self._backward(inputs, grad_outputs)


class Square(Function):
    def forward(self, inputs):
        x, = inputs
        return x * x,

    def backward(self, inputs, grad_outputs):
        x, = inputs
        gy, = grad_outputs
        return 2 * x * gy,


def _inputs(device, dtype, rng, shape=(2, 3)):
    return tuple(device.send(rng.uniform(-1, 1, shape).astype(dtype)) for _ in range(2))


def test_forward_and_backward_dispatch_by_backend(device, dtype, rng):
    x, y = (Variable(a) for a in _inputs(device, dtype, rng))
    f = ProductAndSum()
    product, total = f(x, y)
    F.sum(product + total).backward()
    kind = 'gpu' if device.backend.name == 'cupy' else 'cpu'
    assert f.ran == [f'forward_{kind}', f'backward_{kind}']
    host_x, host_y = cuda.to_cpu(x.array), cuda.to_cpu(y.array)
    numpy.testing.assert_allclose(cuda.to_cpu(product.array), host_x * host_y, rtol=1e-6)
    numpy.testing.assert_allclose(cuda.to_cpu(x.grad), host_y + 1, rtol=1e-6)
    numpy.testing.assert_allclose(cuda.to_cpu(y.grad), host_x + 1, rtol=1e-6)
    assert product.device is device and x.grad.dtype == x.dtype


def test_gradients_match_numerical_ones(device, dtype, tolerance, rng):
    atol, rtol = tolerance
    x, y = _inputs(device, dtype, rng)
    grads = _inputs(device, dtype, rng)
    gradient_check.check_backward(lambda a, b: ProductAndSum()(a, b), (x, y), grads,
                                  atol=atol, rtol=rtol)
    gradient_check.check_backward(lambda a: Square()(a), x, grads[0], atol=atol, rtol=rtol)


def test_one_output_gives_a_variable_and_arrays_are_accepted():
    y = Square()(numpy.array([3.0], numpy.float32))
    assert isinstance(y, Variable) and y.array.tolist() == [9.0]
    outputs = ProductAndSum()(numpy.ones(1, 'f'), numpy.ones(1, 'f'))
    assert isinstance(outputs, tuple) and len(outputs) == 2


def test_an_unused_output_gets_none_as_gradient():
    x, y = Variable(numpy.ones(2, 'f')), Variable(numpy.full(2, 3.0, 'f'))
    f = ProductAndSum()
    product, _ = f(x, y)
    F.sum(product).backward()
    assert f.received[1][1] is None
    assert x.grad.tolist() == [3.0, 3.0]


class KeepsOnlyX(Function):
    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((1,))
        x, y = inputs
        return x * 2, x + y

    def backward(self, inputs, grad_outputs):
        self.seen = inputs, self.output_data
        return grad_outputs[0] * 2 + grad_outputs[1], grad_outputs[1]


def test_retain_inputs_and_outputs_choose_what_backward_sees():
    x, y = Variable(numpy.ones(2, 'f')), Variable(numpy.full(2, 3.0, 'f'))
    f = KeepsOnlyX()
    doubled, total = f(x, y)
    F.sum(doubled + total).backward()
    (seen_x, seen_y), (out0, out1) = f.seen
    assert seen_x.tolist() == [1.0, 1.0] and seen_y is None
    assert out0 is None and out1.tolist() == [4.0, 4.0]
    assert x.grad.tolist() == [3.0, 3.0] and y.grad.tolist() == [1.0, 1.0]


def test_default_backward_gives_no_gradient():
    class Forward(Function):
        def forward_cpu(self, inputs):
            return inputs[0] * 2,

    x = Variable(numpy.ones(2, 'f'))
    F.sum(Forward()(x)).backward()
    assert x.grad is None


def test_forward_must_return_a_tuple():
    class ReturnsArray(Function):
        def forward(self, inputs):
            return inputs[0]

    with pytest.raises(TypeError, match='ReturnsArray.forward: expected a tuple'):
        ReturnsArray()(numpy.ones(2, 'f'))


def test_backward_must_return_one_gradient_per_input():
    class WrongCount(Function):
        def forward(self, inputs):
            return inputs[0] + inputs[1],

        def backward(self, inputs, grad_outputs):
            return grad_outputs

    y = WrongCount()(Variable(numpy.ones(2, 'f')), Variable(numpy.ones(2, 'f')))
    with pytest.raises(ValueError, match='WrongCount.backward: expected a tuple of 2'):
        F.sum(y).backward()


def test_double_backprop_through_an_old_style_function_is_refused():
    x = Variable(numpy.array([1.0, 2.0], 'f'))
    gx, = polychain.grad([F.sum(Square()(x))], [x], enable_double_backprop=True)
    assert gx.array.tolist() == [2.0, 4.0]
    with pytest.raises(RuntimeError, match='Square: double backprop is not supported'):
        F.sum(gx).backward()


def test_check_type_forward_uses_chainers_type_check_language():
    class Matrices(Function):
        def check_type_forward(self, in_types):
            type_check.expect(in_types.size() == 1)
            x_type, = in_types
            type_check.expect(x_type.dtype == numpy.float32, x_type.ndim == 2)

        def forward(self, inputs):
            return inputs[0] * 2,

    assert Matrices()(numpy.ones((2, 2), 'f')).shape == (2, 2)
    with pytest.raises(type_check.InvalidType) as error:
        Matrices()(numpy.ones(3, 'f'))
    assert 'Matrices (Forward)' in str(error.value)
    assert 'Expect: in_types[0].ndim == 2\nActual: 1 != 2' in str(error.value)


def test_the_function_knows_its_node_and_inputs():
    f = Square()
    x = Variable(numpy.ones(2, 'f'))
    y = f(x)
    assert y.creator_node is f.node and f.node.function is f
    assert f.inputs == (x.node,) and f.rank == 0 and f.label == 'Square'
    f.unchain()
    assert f.inputs is None


def test_a_check_type_forward_set_on_the_instance_runs():
    class Double(Function):
        def forward_cpu(self, inputs):
            return inputs[0] * 2,

    f = Double()
    seen = []
    f.check_type_forward = seen.append
    f(numpy.ones(2, dtype='float32'))
    assert len(seen) == 1 and seen[0][0].shape == (2,)


@pytest.mark.parametrize('gradient, error', [
    (lambda: [1], TypeError),
    (lambda: numpy.ones(1, dtype='int32'), TypeError),
    (lambda: numpy.ones(2, dtype='float32'), ValueError),
])
def test_backward_gradients_are_checked_against_the_inputs(gradient, error):
    class Bad(Function):
        label = 'bad_function'

        def forward(self, inputs):
            self.retain_inputs(())
            return numpy.ones((), dtype='float32'),

        def backward(self, inputs, grad_outputs):
            return gradient(),

    y = Bad()(Variable(numpy.ones(1, dtype='float32')))
    with pytest.raises(error, match='bad_function'):
        y.backward()
