"""Chainer's mnist example: training (Trainer, custom loop, two-device model), inference."""

import pytest


@pytest.mark.parametrize('device', ['@numpy', '@jax:cpu:0'])
def test_train_then_infer(run_examples, device):
    outcomes = run_examples('mnist/train_mnist.py', 'mnist/inference.py', device=device)
    assert 'validation/main/accuracy' in outcomes[0].output
    assert 'Prediction:' in outcomes[1].output


def test_custom_loop_and_model_parallel(run_examples):
    outcomes = run_examples('mnist/train_mnist_custom_loop.py',
                            'mnist/train_mnist_model_parallel.py')
    assert 'test mean  loss' in outcomes[0].output


def test_data_parallel(run_examples):
    run_examples('mnist/train_mnist_data_parallel.py',
                 'mnist/train_mnist_data_parallel_updater.py')
