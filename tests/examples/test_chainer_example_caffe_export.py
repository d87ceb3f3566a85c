"""Chainer's caffe_export example: GoogLeNet from Chainer's model cache written as a Caffe model."""

import numpy

import polychain
from polychain.links import GoogLeNet
from polychain.links.caffe import CaffeFunction
from polychain_conformance.chainer_examples.fixtures import googlenet


def test_export_googlenet_and_read_it_back(run_examples, tmp_path):
    run_examples('caffe_export/export.py')
    exported = tmp_path / 'caffe_export' / 'exported'
    assert (exported / 'chainer_model.prototxt').read_text().startswith('name: "Graph"\n')
    func = CaffeFunction(str(exported / 'chainer_model.caffemodel'))
    assert func.layers[-1][0] == 'Softmax-60-1'
    model = GoogLeNet(pretrained_model=str(tmp_path / 'datasets' / googlenet.GOOGLENET_PATH))
    x = numpy.random.default_rng(0).uniform(-100, 100, (1, 3, 224, 224)).astype(numpy.float32)
    with polychain.using_config('train', False), polychain.no_backprop_mode():
        expected = model(x, layers=['prob'])['prob'].array
        y, = func(inputs={'data': x}, outputs=['Softmax-60-1'])
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-5, atol=1e-7)
