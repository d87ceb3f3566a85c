"""Chainer's cifar example: VGG on CIFAR-10 with the Trainer."""


def test_train_cifar(run_examples):
    outcome, = run_examples('cifar/train_cifar.py')
    assert 'validation/main/accuracy' in outcome.output
