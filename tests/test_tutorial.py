"""The forward/backward part of Chainer's tutorial, written as a Chainer user writes it."""

import numpy as np

import polychain as chainer
from polychain import Variable


def _host(array):
    return chainer.backend.to_host(array)


def _assert_equal(array, expected):
    expected = np.array(expected, dtype=np.float32)
    host = _host(array)
    assert host.dtype == np.float32
    np.testing.assert_array_equal(host, expected)


def test_forward_and_backward_of_a_polynomial(device):
    x_data = device.send(np.array([5], dtype=np.float32))
    x = Variable(x_data)
    y = x**2 - 2 * x + 1
    _assert_equal(y.array, [16])
    _assert_equal(y.data, [16])

    y.backward()
    _assert_equal(x.grad, [8])


def test_intermediate_gradient_with_retain_grad(device):
    x = Variable(device.send(np.array([5], dtype=np.float32)))
    z = 2 * x
    y = x**2 - z + 1
    y.backward(retain_grad=True)
    _assert_equal(z.grad, [-1])


def test_intermediate_gradient_without_retain_grad_is_none(device):
    x = Variable(device.send(np.array([5], dtype=np.float32)))
    z = 2 * x
    y = x**2 - z + 1
    y.backward()
    assert z.grad is None


def test_backward_without_retain_grad_leaves_a_retained_gradient_alone(device):
    x = Variable(device.send(np.array([5], dtype=np.float32)))
    z = 2 * x
    y = x**2 - z + 1
    y.backward(retain_grad=True)
    _assert_equal(z.grad, [-1])
    y.backward()  # retain_grad=False does not touch intermediate grads (Chainer v7)
    _assert_equal(z.grad, [-1])


def test_multi_element_input_needs_an_initial_error(device):
    x = Variable(device.send(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float32)))
    y = x**2 - 2 * x + 1
    y.grad = device.send(np.ones((2, 3), dtype=np.float32))
    y.backward()
    _assert_equal(x.grad, [[0, 2, 4], [6, 8, 10]])


def test_chainer_names_are_available():
    for name in ('Variable', 'Parameter', 'FunctionNode', 'functions', 'grad', 'config',
                 'using_config', 'no_backprop_mode', 'force_backprop_mode', 'get_device'):
        assert hasattr(chainer, name), name
    assert str(chainer.get_device('@numpy')) == '@numpy'
