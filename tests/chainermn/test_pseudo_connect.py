"""pseudo_connect on one process: outputs are the actual variables, the delegate gets zeros."""

from __future__ import annotations

import numpy

import polychain
import polychain.functions as F
from polychain import backend
from polychain.chainermn.functions import pseudo_connect


def test_outputs_and_gradients(device):
    delegate = polychain.Variable(device.send(numpy.ones((3, 2), dtype='float32')))
    a = polychain.Variable(device.send(numpy.arange(4, dtype='float32')))
    b = polychain.Variable(device.send(numpy.full((2, 2), 2.0, dtype='float32')))
    ya, yb = pseudo_connect(delegate, a, b)
    numpy.testing.assert_array_equal(backend.to_host(ya.array), numpy.arange(4))
    (F.sum(ya) * 2.0 + F.sum(yb) * 3.0).backward()
    numpy.testing.assert_array_equal(backend.to_host(a.grad), numpy.full(4, 2.0))
    numpy.testing.assert_array_equal(backend.to_host(b.grad), numpy.full((2, 2), 3.0))
    numpy.testing.assert_array_equal(backend.to_host(delegate.grad), numpy.zeros((3, 2)))


def test_one_output_is_a_tuple_and_none_delegate_connects_nothing(device):
    x = polychain.Variable(device.send(numpy.arange(3, dtype='float32')))
    out = pseudo_connect(None, x)
    assert isinstance(out, tuple) and len(out) == 1
    F.sum(out[0]).backward()
    numpy.testing.assert_array_equal(backend.to_host(x.grad), numpy.ones(3))


def test_gradient_check():
    rng = numpy.random.default_rng(0)
    delegate = rng.uniform(-1, 1, (3, 2))
    xs = (rng.uniform(-1, 1, (4, 5)), rng.uniform(-1, 1, (3, 2)))
    gys = tuple(rng.uniform(-1, 1, x.shape) for x in xs)
    polychain.gradient_check.check_backward(pseudo_connect, (delegate,) + xs, gys)
