"""Chainer semantics of the pooling functions that the conformance catalogue cannot express."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def _host(v) -> numpy.ndarray:
    return to_host(v.array if isinstance(v, polychain.Variable) else v)


def test_average_pooling_pad_value_zero_counts_padding_and_none_excludes_it(device, dtype):
    x = device.send(numpy.ones((1, 1, 3, 3), dtype))
    counted = _host(F.average_pooling_nd(x, 3, 1, 1))
    excluded = _host(F.average_pooling_nd(x, 3, 1, 1, pad_value=None))
    numpy.testing.assert_allclose(counted[0, 0], [[4 / 9, 6 / 9, 4 / 9], [6 / 9, 1, 6 / 9],
                                                  [4 / 9, 6 / 9, 4 / 9]], rtol=1e-6)
    numpy.testing.assert_allclose(excluded, numpy.ones((1, 1, 3, 3)), rtol=1e-6)
    numpy.testing.assert_allclose(_host(F.average_pooling_2d(x, 3, 1, 1)), counted, rtol=1e-6)


@pytest.mark.parametrize('cover_all, expected', [(True, (3, 3)), (False, (2, 2))])
def test_max_pooling_cover_all_decides_the_output_size(device, cover_all, expected):
    x = device.send(numpy.arange(25, dtype='float32').reshape(1, 1, 5, 5))
    y = F.max_pooling_2d(x, 2, cover_all=cover_all)
    assert y.shape[2:] == expected
    numpy.testing.assert_array_equal(_host(y)[0, 0, 0], [6, 8, 9][:expected[1]])


def test_max_pooling_gradient_goes_to_the_first_maximum_of_each_window(device):
    x = polychain.Variable(device.send(numpy.array([[[[1, 3], [3, 0]]]], 'float32')))
    y = F.max_pooling_2d(x, 2)
    y.grad = device.xp.ones(y.shape, dtype=y.dtype, device=device.native) * 5
    y.backward()
    numpy.testing.assert_array_equal(_host(x.grad), [[[[0, 5], [0, 0]]]])


def test_max_pooling_double_backprop_gathers_at_the_argmax(device):
    x = polychain.Variable(device.send(numpy.array([[[[1, 4, 2, 0], [3, 2, 8, 1]]]],
                                                   'float64')))
    gy = polychain.Variable(device.send(numpy.array([[[[2.0, 3.0]]]])))
    y = F.max_pooling_2d(x, 2)
    gx, = polychain.grad([y], [x], [gy], enable_double_backprop=True)
    ggx = device.send(numpy.arange(8, dtype='float64').reshape(1, 1, 2, 4))
    ggy, = polychain.grad([gx], [gy], [polychain.Variable(ggx)])
    numpy.testing.assert_array_equal(_host(ggy), [[[[1.0, 6.0]]]])


def test_return_indices_and_upsampling_put_each_maximum_back(device, rng):
    x = device.send(rng.permutation(2 * 3 * 4 * 6).reshape(2, 3, 4, 6).astype('float32'))
    y, indexes = F.max_pooling_2d(x, 2, return_indices=True)
    assert not isinstance(indexes, polychain.Variable)
    assert tuple(indexes.shape) == tuple(y.shape)
    restored = _host(F.upsampling_2d(y, indexes, 2, outsize=(4, 6)))
    host_x = _host(x)
    is_max = host_x == numpy.repeat(numpy.repeat(_host(y), 2, axis=2), 2, axis=3)
    numpy.testing.assert_array_equal(restored, numpy.where(is_max, host_x, 0))


def test_unpooling_copies_each_value_over_its_window_with_chainer_outsize(device):
    x = device.send(numpy.array([[[[1, 2], [3, 4]]]], 'float32'))
    assert F.unpooling_2d(x, 2).shape == (1, 1, 3, 3)  # cover_all=True: s * (n - 1) + k - s + 1
    y = _host(F.unpooling_2d(x, 2, cover_all=False))
    numpy.testing.assert_array_equal(y[0, 0], [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4],
                                               [3, 3, 4, 4]])
    y1 = _host(F.unpooling_1d(device.send(numpy.array([[[1, 2]]], 'float32')), 3, 1,
                              cover_all=False))
    numpy.testing.assert_array_equal(y1, [[[1, 3, 3, 2]]])


def test_spatial_pyramid_pooling_output_shape_and_first_level_is_global_max(device, rng):
    x = device.send(rng.uniform(-1, 1, (2, 3, 9, 10)).astype('float32'))
    y = F.spatial_pyramid_pooling_2d(x, 3, pooling='max')
    assert y.shape == (2, 3 * (1 + 4 + 16), 1, 1)
    numpy.testing.assert_array_equal(_host(y)[:, :3, 0, 0], _host(x).max(axis=(2, 3)))


def test_stride_defaults_to_ksize(device, rng):
    x = device.send(rng.uniform(-1, 1, (1, 2, 6, 6)).astype('float32'))
    assert F.max_pooling_2d(x, 3).shape == (1, 2, 2, 2)
    assert F.average_pooling_2d(x, 3).shape == (1, 2, 2, 2)
    assert F.max_pooling_3d(F.reshape(x, (1, 1, 2, 6, 6)), (1, 2, 3)).shape == (1, 1, 2, 3, 2)


@pytest.mark.parametrize('call, message', [
    (lambda x: F.max_pooling_2d(x[0], 2), r'max_pooling_2d: expected an input x .* 4 axes'),
    (lambda x: F.max_pooling_1d(x, 2), r'max_pooling_1d: expected an input x .* 3 axes'),
    (lambda x: F.average_pooling_nd(x, 2, pad_value=1), 'average_pooling_nd: expected '
     'pad_value to be 0 or None, received 1'),
    (lambda x: F.max_pooling_2d(x, (2, 2, 2)), 'max_pooling_2d: expected an int or 2 ints as '
     'ksize'),
    (lambda x: F.average_pooling_2d(x, 2, pad=-1), 'average_pooling_2d: expected positive '
     'ksize and stride and a non-negative pad'),
    (lambda x: F.max_pooling_2d(x, 5, cover_all=False), 'max_pooling_2d: expected windows of '
     'size'),
    (lambda x: F.spatial_pyramid_pooling_2d(x, 2, pooling='average'),
     "spatial_pyramid_pooling_2d: expected pooling='max', received 'average'"),
    (lambda x: F.upsampling_2d(x, x.array[:, :1], 2), 'upsampling_2d: expected indexes of the '
     'shape of x'),
])
def test_invalid_arguments_raise_value_error_naming_the_function(call, message):
    x = polychain.Variable(numpy.zeros((1, 2, 4, 4), 'float32'))
    with pytest.raises(ValueError, match=message):
        call(x)


def test_unpooling_to_an_outsize_that_does_not_pool_back_raises_invalid_type():
    # As Chainer: the input's shape does not fit the pooling of outsize.
    x = polychain.Variable(numpy.zeros((1, 2, 4, 4), 'float32'))
    with pytest.raises(InvalidType, match=r'unpooling_2d[\s\S]*outsize == \(9, 9\)'):
        F.unpooling_2d(x, 2, outsize=(9, 9))


@pytest.mark.parametrize('function', [
    lambda x: F.max_pooling_2d(x, 2), lambda x: F.average_pooling_2d(x, 2),
    lambda x: F.unpooling_2d(x, 2), lambda x: F.spatial_pyramid_pooling_2d(x, 2, 'max'),
])
def test_integer_inputs_raise_invalid_type(function):
    with pytest.raises(InvalidType, match='x.dtype'):
        function(numpy.zeros((1, 2, 4, 4), 'int32'))
