"""Links given a list or an empty batch: the error functions give, statistics unchanged."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L


@pytest.mark.parametrize('in_size', [3, None])
def test_linear_link_rejects_a_list_as_functions_do(device, in_size):
    link = L.Linear(in_size, 2).to_device(device) if in_size else L.Linear(None, 2)
    with pytest.raises(TypeError, match='expected an array of an installed backend') as raised:
        link([[1., 2., 3.]])
    assert 'list' in str(raised.value)


def test_linear_function_rejects_a_list(device):
    w = device.send(numpy.ones((2, 3), 'f'))
    with pytest.raises(TypeError, match='expected an array of an installed backend.*list'):
        F.linear([[1., 2., 3.]], w)
    with pytest.raises(TypeError, match='expected an array of an installed backend.*list'):
        F.linear([[[1., 2., 3.]]], w, n_batch_axes=2)


def test_batch_normalization_trained_on_an_empty_batch_keeps_its_statistics(device):
    bn = L.BatchNormalization(3).to_device(device)
    bn(device.send(numpy.arange(12, dtype='f').reshape(4, 3)))
    mean, var = (polychain.backend.to_host(a).copy() for a in (bn.avg_mean, bn.avg_var))
    with pytest.warns(UserWarning):
        y = bn(device.send(numpy.zeros((0, 3), 'f')))
    assert y.shape == (0, 3)
    numpy.testing.assert_array_equal(polychain.backend.to_host(bn.avg_mean), mean)
    numpy.testing.assert_array_equal(polychain.backend.to_host(bn.avg_var), var)
