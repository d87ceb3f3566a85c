"""Chainer's modelzoo example: a Caffe reference model evaluated with L.caffe.CaffeFunction."""

import re


def test_download_then_evaluate_alexnet(run_examples, tmp_path):
    *_, evaluate = run_examples('modelzoo/download_model.py', 'modelzoo/download_mean_file.py',
                                'modelzoo/evaluate_caffe_net.py')
    assert 'Loading Caffe model file bvlc_alexnet.caffemodel...\nLoaded\n' in evaluate.output
    loss = float(re.search(r'mean loss: +(\S+)', evaluate.output).group(1))
    accuracy = float(re.search(r'mean accuracy: +(\S+)', evaluate.output).group(1))
    assert 0 < loss < 20 and 0 <= accuracy <= 1  # near ln(1000) for the untrained classifier


def test_evaluate_on_jax(run_examples):
    evaluate, = run_examples('modelzoo/evaluate_caffe_net.py', device='@jax:cpu:0')
    assert 'mean accuracy' in evaluate.output
