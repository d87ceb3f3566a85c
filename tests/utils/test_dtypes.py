"""``polychain.utils.dtypes``: one answer to "is this a floating dtype?" on every backend."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.utils import dtypes
from polychain.utils.type_check import InvalidType

NAMES = ('float32', 'float64', 'int32', 'uint8', 'bool')


@pytest.mark.parametrize('name', NAMES)
def test_is_float_and_has_float_dtype_agree_on_every_backend(device, name):
    x = device.send(numpy.zeros((2,), dtype=name))
    expected = name.startswith('float')
    assert dtypes.is_float(device.namespace, x.dtype) is expected
    assert dtypes.has_float_dtype(x) is expected
    assert dtypes.has_float_dtype(polychain.Variable(x, requires_grad=False)) is expected


@pytest.mark.parametrize('name', NAMES)
def test_namespace_and_host_dtypes_round_trip_by_name(device, name):
    own = dtypes.namespace_dtype(device.namespace, name)
    assert device.send(numpy.zeros((1,), dtype=name)).dtype == own
    assert dtypes.namespace_dtype(device.namespace, own) is own
    assert dtypes.host_dtype(device.namespace, own) == numpy.dtype(name)


def test_namespace_dtype_names_a_dtype_the_backend_lacks():
    strict = polychain.get_device('@strict').namespace
    with pytest.raises(TypeError, match='float16'):
        dtypes.namespace_dtype(strict, numpy.float16)


@pytest.mark.parametrize('call', [
    lambda x: F.convolution_2d(x, x),
    lambda x: F.clip(x, 0, 1),
    lambda x: F.sigmoid_cross_entropy(x, x),
    lambda x: F.average_pooling_2d(x, 1),
], ids=['convolution', 'clip', 'loss', 'pooling'])
def test_every_float_check_reads_the_same(device, call):
    x = device.send(numpy.ones((1, 1, 2, 2), dtype=numpy.int32))
    with pytest.raises(InvalidType) as raised:
        call(x)
    assert raised.value.expect == 'x.dtype.kind == "f"'
