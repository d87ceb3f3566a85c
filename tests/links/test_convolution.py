"""Convolution and deconvolution links: Chainer's constructors, filter shapes, lazy creation."""

import numpy
import pytest

import polychain.functions as F
import polychain.links as L
from polychain import initializers
from polychain.backend import to_host


@pytest.mark.parametrize('link, x_shape, w_shape, y_shape', [
    (lambda: L.Convolution2D(3, 4, 3), (2, 3, 5, 5), (4, 3, 3, 3), (2, 4, 3, 3)),
    (lambda: L.Convolution2D(4, 3), (2, 3, 5, 5), (4, 3, 3, 3), (2, 4, 3, 3)),
    (lambda: L.Convolution2D(None, 4, (1, 2), groups=2), (1, 6, 3, 3), (4, 3, 1, 2),
     (1, 4, 3, 2)),
    (lambda: L.DilatedConvolution2D(2, 3, 3, dilate=2), (1, 2, 5, 6), (3, 2, 3, 3),
     (1, 3, 1, 2)),
    (lambda: L.DilatedConvolution2D(3, 3, pad=1), (1, 2, 4, 4), (3, 2, 3, 3), (1, 3, 4, 4)),
    (lambda: L.Convolution1D(2, 3, 2, stride=2, cover_all=True), (1, 2, 5), (3, 2, 2),
     (1, 3, 3)),
    (lambda: L.Convolution3D(4, 2), (1, 2, 3, 3, 3), (4, 2, 2, 2, 2), (1, 4, 2, 2, 2)),
    (lambda: L.ConvolutionND(2, 5, 3), (1, 2, 4, 4), (5, 2, 3, 3), (1, 5, 2, 2)),
    (lambda: L.Deconvolution2D(3, 4, 3, stride=2), (2, 3, 2, 2), (3, 4, 3, 3), (2, 4, 5, 5)),
    (lambda: L.Deconvolution2D(4, 2, groups=2), (1, 6, 3, 3), (6, 2, 2, 2), (1, 4, 4, 4)),
    (lambda: L.Deconvolution2D(2, 1, 2, stride=2, outsize=(5, 4)), (1, 2, 2, 2), (2, 1, 2, 2),
     (1, 1, 5, 4)),
    (lambda: L.Deconvolution1D(3, 2), (1, 2, 4), (2, 3, 2), (1, 3, 5)),
    (lambda: L.Deconvolution3D(2, 1, 2), (1, 2, 2, 2, 2), (2, 1, 2, 2, 2), (1, 1, 3, 3, 3)),
    (lambda: L.DeconvolutionND(1, None, 2, 3, pad=1), (1, 3, 4), (3, 2, 3), (1, 2, 4)),
])
def test_shapes_and_short_forms(link, x_shape, w_shape, y_shape, device):
    layer = link()
    layer.to_device(device)
    y = layer(device.send(numpy.ones(x_shape, numpy.float32)))
    assert layer.W.shape == w_shape
    assert layer.W.device == device
    assert layer.b.shape == (y_shape[1],)
    assert y.shape == y_shape


def test_lazy_filter_is_created_from_the_first_input():
    layer = L.Convolution2D(4, 3)
    assert not layer.W.is_initialized
    assert layer.in_channels is None
    layer(numpy.zeros((1, 5, 4, 4), numpy.float32))
    assert layer.in_channels == 5
    assert layer.W.shape == (4, 5, 3, 3)


def test_default_initializers_follow_chainer():
    layer = L.Convolution2D(3, 8, 3)
    w = to_host(layer.W.array)
    assert w.dtype == numpy.float32
    # LeCunNormal: standard deviation sqrt(1 / fan_in), fan_in = 3 * 3 * 3.
    assert 0.5 * numpy.sqrt(1 / 27) < w.std() < 1.5 * numpy.sqrt(1 / 27)
    numpy.testing.assert_array_equal(to_host(layer.b.array), numpy.zeros(8, numpy.float32))


def test_nobias_and_initial_values():
    layer = L.Deconvolution2D(2, 3, 2, nobias=True, initialW=initializers.One())
    assert layer.b is None
    y = layer(numpy.ones((1, 2, 1, 1), numpy.float32))
    numpy.testing.assert_array_equal(to_host(y.array), numpy.full((1, 3, 2, 2), 2.0))
    biased = L.Convolution1D(1, 2, 1, initialW=initializers.Zero(), initial_bias=0.5)
    numpy.testing.assert_array_equal(to_host(biased(numpy.ones((1, 1, 3), numpy.float32)).array),
                                     numpy.full((1, 2, 3), 0.5))


def test_link_computes_its_function(rng):
    layer = L.Convolution2D(2, 4, 3, stride=2, pad=1, groups=2, dilate=1)
    x = rng.uniform(-1, 1, (2, 2, 5, 5)).astype(numpy.float32)
    expected = F.convolution_2d(x, layer.W, layer.b, stride=2, pad=1, groups=2)
    numpy.testing.assert_array_equal(to_host(layer(x).array), to_host(expected.array))


def test_parameters_receive_gradients(device):
    layer = L.DeconvolutionND(2, 2, 3, 2, stride=2)
    layer.to_device(device)
    layer.cleargrads()
    y = layer(device.send(numpy.ones((1, 2, 2, 2), numpy.float32)))
    F.sum(y).backward()
    assert layer.W.grad.shape == layer.W.shape
    numpy.testing.assert_allclose(to_host(layer.b.grad), numpy.full(3, 16.0))


@pytest.mark.parametrize('build, message', [
    (lambda: L.Convolution2D(3, 4, 3, groups=2), 'in_channels divisible by groups=2'),
    (lambda: L.Convolution2D(4, 3, 3, groups=2), 'out_channels divisible by groups=2'),
    (lambda: L.Deconvolution2D(4, 3, 3, groups=2), 'out_channels divisible by groups=2'),
    (lambda: L.ConvolutionND(3, 2, 2, (2, 2)), 'ConvolutionND: expected an int or 3 ints as '
                                               'ksize'),
])
def test_invalid_constructor_arguments_are_named(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_mlp_convolution_2d_stacks_1x1_convolutions(device):
    mlp = L.MLPConvolution2D((4, 5), 3, activation=F.sigmoid).to_device(device)
    x = device.send(numpy.random.uniform(-1, 1, (2, 3, 6, 6)).astype(numpy.float32))
    y = mlp(x)
    assert mlp[0].W.shape == (4, 3, 3, 3) and mlp[1].W.shape == (5, 4, 1, 1)
    numpy.testing.assert_allclose(to_host(y.array), to_host(mlp[1](F.sigmoid(mlp[0](x))).array))
    with pytest.raises(ValueError):
        L.MLPConvolution2D(3, (4,), wscale=1)
    with pytest.raises(TypeError):
        L.MLPConvolution2D(3, (4,), 3, 1, 0, F.relu, 1)


def test_inception_concatenates_its_four_paths(device):
    block = L.Inception(3, 2, 2, 3, 2, 4, 5).to_device(device)
    x = device.send(numpy.random.uniform(-1, 1, (2, 3, 5, 5)).astype(numpy.float32))
    y = block(x)
    assert y.shape == (2, 2 + 3 + 4 + 5, 5, 5)
    assert float(to_host(y.array).min()) >= 0
    y.grad = device.send(numpy.ones(y.shape, dtype=numpy.float32))
    y.backward()
    assert block.conv5.W.grad is not None


@pytest.mark.parametrize(('pooltype', 'out1', 'stride'), [('max', 2, 1), ('avg', 0, 2)])
def test_inception_bn_paths_and_checks(pooltype, out1, stride):
    block = L.InceptionBN(3, out1, 2, 3, 2, 4, pooltype, proj_pool=5, stride=stride)
    x = numpy.random.uniform(-1, 1, (4, 3, 6, 6)).astype(numpy.float32)
    y = block(x)
    assert y.shape == (4, out1 + 3 + 4 + 5, 6 // stride, 6 // stride)
    with pytest.raises(NotImplementedError):
        L.InceptionBN(3, 2, 2, 3, 2, 4, 'min', 5)
    with pytest.raises(ValueError):
        L.InceptionBN(3, 2, 2, 3, 2, 4, 'max', None)
