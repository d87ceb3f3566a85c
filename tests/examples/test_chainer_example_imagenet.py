"""Chainer's imagenet example: the mean image, then NIN with MultiprocessIterator workers."""


def test_compute_mean_then_train(run_examples, tmp_path):
    run_examples('imagenet/compute_mean.py', 'imagenet/train_imagenet.py')
    assert (tmp_path / 'imagenet' / 'result' / 'model_iter_2').is_file()
