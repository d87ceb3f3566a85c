"""Chainer's generative examples: the variational autoencoder and DCGAN."""


def test_vae(run_examples):
    outcome, = run_examples('vae/train_vae.py')
    assert 'main/loss' in outcome.output


def test_dcgan(run_examples):
    outcome, = run_examples('dcgan/train_dcgan.py')
    assert 'gen/loss' in outcome.output
