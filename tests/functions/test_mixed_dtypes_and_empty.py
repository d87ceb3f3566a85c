"""concat/stack refuse mixed dtypes (Chainer's InvalidType); mean/average of nothing is NaN."""

from __future__ import annotations

import warnings

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.utils.type_check import InvalidType


@pytest.mark.parametrize('join', [F.concat, F.stack, F.hstack, F.vstack, F.dstack])
def test_joins_refuse_mixed_dtypes(device, join):
    a = polychain.Parameter(device.send(numpy.ones((2, 3), 'f')))
    b = device.send(numpy.ones((2, 3), 'd'))
    with pytest.raises(InvalidType, match='dtype'):
        join([a, b])


def test_concat_of_one_dtype_keeps_it(device):
    a = polychain.Parameter(device.send(numpy.ones((2, 3), 'f')))
    y = F.concat([a, device.send(numpy.ones((2, 1), 'f'))])
    F.sum(y).backward()
    to_host = polychain.backend.to_host
    assert to_host(y.array).dtype == numpy.float32 and to_host(a.grad).dtype == numpy.float32


@pytest.mark.parametrize('reduce', [F.mean, F.average])
@pytest.mark.parametrize('shape, axis, out_shape', [((0,), None, ()), ((0, 3), 0, (3,)),
                                                    ((2, 0), None, ())])
def test_mean_of_nothing_is_nan_with_numpy_warning(device, reduce, shape, axis, out_shape):
    x = polychain.Variable(device.send(numpy.zeros(shape, 'f')))
    with pytest.warns(RuntimeWarning, match='Mean of empty slice'):
        y = reduce(x, axis=axis)
    host = polychain.backend.to_host(y.array)
    assert host.shape == out_shape and host.dtype == numpy.float32 and numpy.isnan(host).all()
    F.sum(y).backward()
    assert x.grad.shape == shape


def test_mean_over_an_empty_axis_of_a_nonempty_array(device):
    x = device.send(numpy.zeros((3, 0), 'f'))
    with pytest.warns(RuntimeWarning):
        y = F.mean(x, axis=1)
    assert numpy.isnan(polychain.backend.to_host(y.array)).all()
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        y = F.mean(x, axis=0)  # each of no outputs averages 3 values: NumPy does not warn
    assert polychain.backend.to_host(y.array).shape == (0,)
