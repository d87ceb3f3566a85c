"""Chainer's modelzoo example: a Caffe reference model evaluated with L.caffe.CaffeFunction."""

import re
import warnings

import numpy
import pytest

import polychain
from polychain.links.caffe import CaffeFunction
from polychain_conformance.chainer_examples.fixtures import downloads


def test_download_then_evaluate_alexnet(run_examples, tmp_path):
    *_, evaluate = run_examples('modelzoo/download_model.py', 'modelzoo/download_mean_file.py',
                                'modelzoo/evaluate_caffe_net.py')
    assert 'Loading Caffe model file bvlc_alexnet.caffemodel...\nLoaded\n' in evaluate.output
    loss = float(re.search(r'mean loss: +(\S+)', evaluate.output).group(1))
    accuracy = float(re.search(r'mean accuracy: +(\S+)', evaluate.output).group(1))
    assert 0 < loss < 20 and 0 <= accuracy <= 1  # near ln(1000) for the untrained classifier


@pytest.mark.parametrize('stem, in_size, output', [
    ('bvlc_alexnet', 227, 'fc8'), ('bvlc_reference_caffenet', 227, 'fc8'),
    ('bvlc_googlenet', 224, 'loss3/classifier')])
def test_every_served_reference_model_gives_its_classifier(tmp_path, stem, in_size, output):
    path = tmp_path / f'{stem}.caffemodel'
    path.write_bytes(downloads.CAFFE_MODELS[stem]())
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # every layer is read: no layer skipped with a warning
        func = CaffeFunction(str(path))
    x = numpy.random.default_rng(0).uniform(-100, 100, (1, 3, in_size, in_size))
    with polychain.using_config('train', False):
        y, = func(inputs={'data': x.astype(numpy.float32)}, outputs=[output])
    assert y.shape == (1, 1000) and numpy.isfinite(y.array).all()
