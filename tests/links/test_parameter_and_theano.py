"""L.Parameter returns the parameter it holds; L.TheanoFunction says Theano cannot be used."""

import numpy
import pytest

import polychain
import polychain.links as L


def test_parameter_holds_the_array_on_its_device_and_passes_gradients(device):
    array = device.send(numpy.arange(6, dtype=numpy.float32).reshape(2, 3))
    link = L.Parameter(array)
    assert link.device == device and link.W.device == device
    assert [name for name, _ in link.namedparams()] == ['/W']
    y = link(volatile='on')
    assert y is not link.W and y.creator is not None
    polychain.testing.assert_allclose(y.array, numpy.arange(6).reshape(2, 3))
    y.grad = device.send(numpy.full((2, 3), 2, numpy.float32))
    y.backward()
    polychain.testing.assert_allclose(link.W.grad, numpy.full((2, 3), 2))


def test_theano_function_reports_that_theano_cannot_be_used():
    with pytest.raises(RuntimeError, match='Theano'):
        L.TheanoFunction(inputs=None, outputs=None)
    from polychain.links.theano.theano_function import TheanoFunction
    assert TheanoFunction is L.TheanoFunction
