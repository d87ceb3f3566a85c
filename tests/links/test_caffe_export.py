"""polychain.exporters.caffe: a graph written as a Caffe model, read back with CaffeFunction."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain.backend import to_host
from polychain.exporters import caffe
from polychain.links.caffe import CaffeFunction, caffe_pb


class _Small(polychain.Chain):
    """Every layer kind the exporter writes, GoogLeNet- and ResNet-like joins included."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.conv = L.Convolution2D(3, 4, 3, pad=1)
            self.grouped = L.Convolution2D(4, 4, 1, groups=2, nobias=True)
            self.bn = L.BatchNormalization(4)
            self.deconv = L.Deconvolution2D(8, 2, 2, stride=2, groups=2)
            self.fc = L.Linear(None, 3)

    def forward(self, x):
        h = F.relu(self.conv(x))
        h = self.bn(F.local_response_normalization(h, n=3))
        h = F.concat((F.leaky_relu(self.grouped(h), 0.2), F.sigmoid(h)), axis=1)
        h = F.max_pooling_2d(h, 2, stride=2) + F.average_pooling_2d(h, 2, stride=2)
        h = self.deconv(h)
        return F.softmax(self.fc(F.reshape(h, (len(h), -1))))


def _exported(model, x, tmp_path, **kwargs):
    caffe.export(model, [polychain.Variable(x)], str(tmp_path), **kwargs)
    return CaffeFunction(str(tmp_path / 'chainer_model.caffemodel'))


def test_round_trip_gives_the_same_outputs_on_each_device(device, tmp_path):
    model = _Small()
    rng = numpy.random.default_rng(0)
    model.bn.avg_mean = rng.uniform(-1, 1, 4).astype('f')
    model.bn.avg_var = rng.uniform(0.5, 2, 4).astype('f')
    model.bn.gamma.array = rng.uniform(0.5, 2, 4).astype('f')
    model.bn.beta.array = rng.uniform(-1, 1, 4).astype('f')
    model.to_device(device)
    x = device.send(rng.uniform(-1, 1, (2, 3, 6, 6)).astype(numpy.float32))
    func = _exported(model, x, tmp_path).to_device(device)
    kinds = [layer.type for layer in _net(tmp_path).layer]
    assert kinds == ['Convolution', 'ReLU', 'LRN', 'BatchNorm', 'Scale', 'Convolution',
                     'ReLU', 'Sigmoid', 'Concat', 'Pooling', 'Pooling', 'Eltwise',
                     'Deconvolution', 'Reshape', 'InnerProduct', 'Softmax']
    with polychain.using_config('train', False):
        expected = model(x)
        y, = func(inputs={'data': x}, outputs=[func.layers[-1][0]])
    numpy.testing.assert_allclose(to_host(y.array), to_host(expected.array), rtol=1e-5,
                                  atol=1e-6)


def _net(directory):
    net = caffe_pb.NetParameter()
    net.ParseFromString((directory / 'chainer_model.caffemodel').read_bytes())
    return net


def test_layers_are_named_as_chainer_names_them(tmp_path):
    _exported(_Small(), numpy.ones((1, 3, 4, 4), 'f'), tmp_path, graph_name='small')
    net = _net(tmp_path)
    assert net.name == 'small'
    first, relu = net.layer[0], net.layer[1]
    assert (first.name, list(first.bottom), list(first.top)) == \
        ('Convolution2DFunction-0-1', ['data'], ['Convolution2DFunction-0-1'])
    assert (relu.name, list(relu.bottom)) == ('ReLU-1-1', ['Convolution2DFunction-0-1'])
    assert all(layer.phase == caffe_pb.TEST for layer in net.layer)
    eltwise = next(layer for layer in net.layer if layer.type == 'Eltwise')
    assert eltwise.name.startswith('_ + _-') and len(eltwise.bottom) == 2


def test_prototxt_holds_the_input_and_the_layers_without_blobs(tmp_path):
    _exported(_Small(), numpy.ones((1, 3, 4, 4), 'f'), tmp_path)
    text = (tmp_path / 'chainer_model.prototxt').read_text()
    assert text.startswith('name: "Graph"\nlayer {\n  name: "data"\n  type: "Input"\n'
                           '  top: "data"\n  input_param {\n    shape {\n      dim: 1\n'
                           '      dim: 3\n      dim: 4\n      dim: 4\n')
    assert 'layer {\n  name: "Convolution2DFunction-0-1"\n  type: "Convolution"\n' in text
    assert 'kernel_h: 3' in text and 'pool: MAX' in text and 'blobs' not in text
    assert 'alpha: 0.0003\n' in text  # Caffe's alpha: Chainer's times the window size (3)
    assert text.count('layer {') == 1 + len(_net(tmp_path).layer)


def test_without_params_or_directory_less_is_written(tmp_path):
    caffe.export(_Small(), [polychain.Variable(numpy.ones((1, 3, 4, 4), 'f'))], str(tmp_path),
                 export_params=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['chainer_model.prototxt']
    caffe.export(_Small(), [polychain.Variable(numpy.ones((1, 3, 4, 4), 'f'))], None)


def test_unsupported_functions_and_several_inputs_are_refused(tmp_path):
    class Tanh(polychain.Chain):
        def forward(self, x):
            return F.tanh(x)

    x = polychain.Variable(numpy.ones((1, 2), 'f'))
    with pytest.raises(NotImplementedError, match='cannot convert Tanh'):
        caffe.export(Tanh(), [x], str(tmp_path))
    with pytest.raises(NotImplementedError, match='exactly one input, received 2'):
        caffe.export(Tanh(), [x, x], str(tmp_path))


def test_an_input_computed_before_the_export_is_the_data_blob(tmp_path):
    class Sigmoid(polychain.Chain):
        def forward(self, x):
            return F.sigmoid(x)

    x = F.tanh(polychain.Variable(numpy.ones((1, 2), 'f')))  # made by a function already
    caffe.export(Sigmoid(), [x], str(tmp_path))
    layer, = _net(tmp_path).layer
    assert (layer.type, list(layer.bottom)) == ('Sigmoid', ['data'])
