"""L.caffe.CaffeFunction: a Caffe model read into links and run layer by layer."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.links import Convolution2D, Linear
from polychain.links.caffe import CaffeFunction, caffe_pb


def _blob(message, array):
    blob = message.blobs.add()
    blob.shape.dim[:] = list(array.shape)
    blob.data[:] = array.astype(numpy.float32)
    return blob


def _weights():
    rng = numpy.random.default_rng(0)
    return {'conv_W': rng.uniform(-1, 1, (4, 1, 3, 3)), 'conv_b': rng.uniform(-1, 1, 4),
            'fc_W': rng.uniform(-1, 1, (5, 16)), 'fc_b': rng.uniform(-1, 1, 5)}


def _layer(net, v1, name, kind, bottom, top):
    if v1:
        layer = net.layers.add(name=name, type=getattr(caffe_pb.V1LayerParameter, kind[1]))
    else:
        layer = net.layer.add(name=name, type=kind[0])
    layer.bottom[:] = bottom
    layer.top[:] = top
    return layer


def _write_net(path, v1=False):
    """data -> conv (2 groups, 3x3, pad 1) -> relu -> LRN -> max pool 2 -> fc -> prob, and a
    loss layer whose label is never given; as Caffe's current (``layer``) or V1 format."""
    w = _weights()
    net = caffe_pb.NetParameter(name='small')
    _layer(net, v1, 'data', ('Data', 'DATA'), [], ['data', 'label'])
    conv = _layer(net, v1, 'conv', ('Convolution', 'CONVOLUTION'), ['data'], ['conv'])
    conv.convolution_param.num_output = 4
    conv.convolution_param.kernel_size.append(3)
    conv.convolution_param.pad.append(1)
    conv.convolution_param.group = 2
    _blob(conv, w['conv_W'])
    _blob(conv, w['conv_b'])
    _layer(net, v1, 'relu', ('ReLU', 'RELU'), ['conv'], ['conv'])
    lrn = _layer(net, v1, 'norm', ('LRN', 'LRN'), ['conv'], ['norm'])
    lrn.lrn_param.local_size = 3
    lrn.lrn_param.alpha = 0.3
    pool = _layer(net, v1, 'pool', ('Pooling', 'POOLING'), ['norm'], ['pool'])
    pool.pooling_param.kernel_size = 2
    pool.pooling_param.stride = 2
    fc = _layer(net, v1, 'fc', ('InnerProduct', 'INNER_PRODUCT'), ['pool'], ['fc'])
    fc.inner_product_param.num_output = 5
    _blob(fc, w['fc_W'])
    _blob(fc, w['fc_b'])
    _layer(net, v1, 'prob', ('Softmax', 'SOFTMAX'), ['fc'], ['prob'])
    _layer(net, v1, 'loss', ('SoftmaxWithLoss', 'SOFTMAX_LOSS'), ['fc', 'label'], ['loss'])
    path.write_bytes(net.SerializeToString())
    return path


def _expected(x):
    """The same network with polychain's functions, the convolution through ``groups=2``."""
    w = _weights()
    conv = Convolution2D(2, 4, 3, pad=1, groups=2, initialW=w['conv_W'].astype('f'),
                         initial_bias=w['conv_b'].astype('f'))
    h = F.local_response_normalization(F.relu(conv(x)), n=3, k=1.0, alpha=0.1, beta=0.75)
    h = F.max_pooling_2d(h, 2, stride=2)
    fc = Linear(16, 5, initialW=w['fc_W'].astype('f'), initial_bias=w['fc_b'].astype('f'))
    return F.softmax(fc(h)).array


@pytest.mark.parametrize('v1', [False, True], ids=['layer', 'v1'])
def test_caffe_function_runs_the_network_on_each_device(device, tmp_path, v1):
    func = CaffeFunction(str(_write_net(tmp_path / 'small.caffemodel', v1)))
    assert [name for name, _, _ in func.layers] == ['conv', 'relu', 'norm', 'pool', 'fc',
                                                    'prob', 'loss']
    assert func.conv.W.shape == (4, 2, 3, 3)  # dense: the groups are zero blocks, as Chainer
    numpy.testing.assert_array_equal(func.conv.W.array[:2, 1], 0)
    func.to_device(device)
    x = numpy.random.default_rng(1).uniform(-1, 1, (2, 2, 4, 4)).astype(numpy.float32)
    with polychain.using_config('train', False):
        prob, fc = func(inputs={'data': device.send(x)}, outputs=['prob', 'fc'])
    assert prob.device == device and fc.shape == (2, 5)
    numpy.testing.assert_allclose(polychain.backend.to_host(prob.array), _expected(x),
                                  rtol=1e-5, atol=1e-6)
    assert 'loss' not in func.variables  # its label bottom was never given


def test_disabled_layers_are_skipped(tmp_path):
    func = CaffeFunction(str(_write_net(tmp_path / 'small.caffemodel')))
    x = numpy.ones((1, 2, 4, 4), numpy.float32)
    with polychain.using_config('train', False):
        func(inputs={'data': x}, outputs=['fc'], disable=['relu'])
    numpy.testing.assert_array_equal(func.variables['conv'].array,
                                     func.conv(x).array)  # no ReLU after conv


def test_unsupported_layers_are_skipped_with_a_warning(tmp_path):
    for v1, message in ((False, 'Skip the layer "t", since CaffeFunction does not support '
                                'TanH layer'),
                        (True, 'Skip the layer "t", since CaffeFunction does not support it')):
        net = caffe_pb.NetParameter()
        _layer(net, v1, 't', ('TanH', 'TANH'), ['data'], ['t'])
        path = tmp_path / 'tanh.caffemodel'
        path.write_bytes(net.SerializeToString())
        with pytest.warns(UserWarning, match=message):
            func = CaffeFunction(str(path))
        assert func.layers == []


def test_train_argument_is_refused(tmp_path):
    func = CaffeFunction(str(_write_net(tmp_path / 'small.caffemodel')))
    with pytest.raises(ValueError, match='train argument is not supported anymore'):
        func(inputs={}, outputs=[], train=False)


def test_batchnorm_statistics_are_divided_by_the_scale_factor(tmp_path):
    net = caffe_pb.NetParameter()
    layer = _layer(net, False, 'bn', ('BatchNorm', None), ['data'], ['bn'])
    layer.batch_norm_param.use_global_stats = True
    for values in ([2.0, 4.0], [8.0, 16.0], [2.0]):
        _blob(layer, numpy.array(values))
    path = tmp_path / 'bn.caffemodel'
    path.write_bytes(net.SerializeToString())
    func = CaffeFunction(str(path))
    numpy.testing.assert_array_equal(func.bn.avg_mean, [1.0, 2.0])
    numpy.testing.assert_array_equal(func.bn.avg_var, [4.0, 8.0])
    x = numpy.array([[3.0, 2.0]], numpy.float32)
    y, = func(inputs={'data': x}, outputs=['bn'])  # use_global_stats: test mode even in train
    numpy.testing.assert_allclose(y.array, [[2 / numpy.sqrt(4 + 1e-5), 0.0]], rtol=1e-6)
