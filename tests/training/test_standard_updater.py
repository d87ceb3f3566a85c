"""StandardUpdater with a real dataset, iterator and optimizer."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import iterators, optimizers, training
from polychain.dataset import concat_examples
from polychain.serializers import DictionarySerializer, NpzDeserializer

from .training_setup import BATCH_SIZE, ITERATIONS_PER_EPOCH, make_dataset, make_model


def make_updater(**kwargs):
    model = make_model()
    optimizer = optimizers.SGD(lr=0.1)
    optimizer.setup(model)
    iterator = iterators.SerialIterator(make_dataset(), BATCH_SIZE, shuffle=False)
    return training.StandardUpdater(iterator, optimizer, **kwargs), model


def sgd_step_by_hand(batch, lr=0.1):
    """The parameters after one SGD step of make_model() on ``batch``, computed directly."""
    model = make_model()
    x, t = concat_examples(batch)
    model.cleargrads()
    model(x, t).backward()
    return {path: p.array - lr * p.grad for path, p in model.namedparams()}


def test_update_applies_one_optimizer_step_on_the_next_batch():
    updater, model = make_updater()
    updater.update()
    expected = sgd_step_by_hand(make_dataset()[:BATCH_SIZE])
    for path, param in model.namedparams():
        numpy.testing.assert_allclose(param.array, expected[path], rtol=1e-6)
    assert updater.iteration == 1


def test_epoch_progress_follows_the_main_iterator():
    updater, _ = make_updater()
    for _ in range(ITERATIONS_PER_EPOCH - 1):
        updater.update()
    assert updater.epoch == 0 and not updater.is_new_epoch
    assert updater.epoch_detail == pytest.approx(0.75)
    updater.update()
    assert updater.epoch == 1 and updater.is_new_epoch
    assert updater.previous_epoch_detail == pytest.approx(0.75)


def test_auto_new_epoch_counts_epochs_in_the_optimizer():
    updater, _ = make_updater()
    optimizer = updater.get_optimizer('main')
    for _ in range(2 * ITERATIONS_PER_EPOCH):
        updater.update()
    assert optimizer.epoch == 2


def test_loss_func_and_converter_are_used():
    seen = []

    def converter(batch, device):
        seen.append(device)
        return concat_examples(batch, device)

    def loss_func(x, t):
        return F.sum(model.predictor(x))

    updater, model = make_updater(converter=converter)
    updater.loss_func = loss_func
    before = model.predictor.b.array.copy()
    updater.update()
    assert seen == [None]
    # d(sum(xW^T + b))/db is the batch size for each output.
    numpy.testing.assert_allclose(model.predictor.b.array, before - 0.1 * BATCH_SIZE, rtol=1e-6)


def test_dictionaries_of_iterators_and_optimizers():
    model = make_model()
    optimizer = optimizers.SGD()
    optimizer.setup(model)
    main = iterators.SerialIterator(make_dataset(), BATCH_SIZE)
    other = iterators.SerialIterator(make_dataset(), 5)
    updater = training.StandardUpdater({'main': main, 'other': other}, {'main': optimizer})
    assert updater.get_iterator('other') is other
    assert updater.get_optimizer('main') is optimizer
    assert updater.get_all_optimizers() == {'main': optimizer}


def test_serialize_round_trip():
    updater, model = make_updater()
    for _ in range(5):
        updater.update()
    saved = DictionarySerializer()
    updater.serialize(saved)

    restored, restored_model = make_updater()
    NpzDeserializer(saved.target).load(restored)
    assert restored.iteration == 5
    assert restored.epoch_detail == updater.epoch_detail
    for (path, param), (_, loaded) in zip(model.namedparams(), restored_model.namedparams()):
        numpy.testing.assert_array_equal(loaded.array, param.array, err_msg=path)
    updater.update()
    restored.update()
    for param, loaded in zip(model.params(), restored_model.params()):
        numpy.testing.assert_array_equal(loaded.array, param.array)


def test_device_moves_the_model_and_input_device_takes_the_batches():
    pytest.importorskip('jax')
    jax_device = polychain.get_device('@jax:cpu:0')
    seen = []

    def converter(batch, device):
        seen.append(device)
        return concat_examples(batch, device)

    updater, model = make_updater(converter=converter, device='@jax:cpu:0')
    assert updater.device is jax_device and updater.input_device is jax_device
    assert all(p.device is jax_device for p in model.params())
    updater.update()
    assert seen == [jax_device]
    host_inputs, _ = make_updater(device=jax_device, input_device='@numpy')
    assert str(host_inputs.input_device) == '@numpy'
