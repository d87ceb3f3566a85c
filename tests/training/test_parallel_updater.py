"""ParallelUpdater: one model copy per device, gradients summed on the main model."""

import warnings

import numpy
import pytest

import polychain
from polychain import iterators, optimizers, training
from polychain.dataset import concat_examples
from polychain.training import updaters

from .training_setup import BATCH_SIZE, ITERATIONS_PER_EPOCH, make_dataset, make_model

LR = 0.1


def make_updater(devices, **kwargs):
    model = make_model()
    optimizer = optimizers.SGD(lr=LR)
    optimizer.setup(model)
    iterator = iterators.SerialIterator(make_dataset(), BATCH_SIZE, shuffle=False)
    return updaters.ParallelUpdater(iterator, optimizer, devices=devices, **kwargs), model


def summed_step_by_hand(batch, n_models):
    """The parameters after one SGD step on the sum of the losses of each share of ``batch``."""
    model = make_model()
    model.cleargrads()
    for i in range(n_models):
        x, t = concat_examples(batch[i::n_models])
        model(x, t).backward()
    return {path: p.array - LR * p.grad for path, p in model.namedparams()}


def host_params(model):
    return {path: polychain.backend.to_host(p.array) for path, p in model.namedparams()}


def test_exported_as_chainer_names_it():
    assert training.ParallelUpdater is updaters.ParallelUpdater
    assert issubclass(updaters.ParallelUpdater, training.StandardUpdater)
    assert issubclass(updaters.ParallelUpdater, training.Updater)


def test_main_on_numpy_and_a_copy_on_each_device_sum_their_gradients(device):
    updater, model = make_updater({'main': '@numpy', 'second': device})
    assert model.device == polychain.get_device('@numpy')
    second = updater._models['second']
    assert second is not model and second.device == device
    updater.update()
    expected = summed_step_by_hand(make_dataset()[:BATCH_SIZE], 2)
    for path, value in host_params(model).items():
        numpy.testing.assert_allclose(value, expected[path], rtol=1e-5, atol=1e-6)
    for path, value in host_params(second).items():
        numpy.testing.assert_allclose(value, expected[path], rtol=1e-5, atol=1e-6)
    assert updater.iteration == 1


def test_main_model_moves_to_the_main_device(device):
    updater, model = make_updater({'main': device, 'other': '@numpy'})
    assert model.device == device
    updater.update()
    expected = summed_step_by_hand(make_dataset()[:BATCH_SIZE], 2)
    for path, value in host_params(model).items():
        numpy.testing.assert_allclose(value, expected[path], rtol=1e-5, atol=1e-6)


def test_given_models_use_their_own_devices():
    model, other = make_model(), make_model()
    optimizer = optimizers.SGD(lr=LR)
    optimizer.setup(model)
    iterator = iterators.SerialIterator(make_dataset(), BATCH_SIZE, shuffle=False)
    updater = updaters.ParallelUpdater(iterator, optimizer,
                                       models={'main': model, 'b': other, 'c': make_model()})
    updater.update()
    expected = summed_step_by_hand(make_dataset()[:BATCH_SIZE], 3)
    for path, value in host_params(other).items():
        numpy.testing.assert_allclose(value, expected[path], rtol=1e-5, atol=1e-6)


def test_other_models_report_under_their_names(tmp_path):
    updater, _ = make_updater({'main': '@numpy', 'second': '@numpy'})
    trainer = training.Trainer(updater, (1, 'iteration'), out=str(tmp_path))
    observed = []
    trainer.extend(lambda t: observed.append(dict(t.observation)), name='record',
                   trigger=(1, 'iteration'))
    trainer.run()
    assert {'main/loss', 'second/loss'} <= set(observed[0])


def test_trains_epochs_with_the_trainer(tmp_path):
    updater, _ = make_updater({'main': '@numpy', 'second': '@numpy'})
    trainer = training.Trainer(updater, (2, 'epoch'), out=str(tmp_path))
    trainer.run()
    assert updater.iteration == 2 * ITERATIONS_PER_EPOCH and updater.epoch == 2


def test_loss_func_replaces_the_model_call():
    calls = []

    def loss_func(x, t):
        calls.append(len(x))
        return polychain.functions.sum(polychain.Variable(x))

    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        updater, _ = make_updater({'main': '@numpy', 'second': '@numpy'}, loss_func=loss_func)
    updater.update()
    assert calls == [BATCH_SIZE // 2, BATCH_SIZE // 2]


def test_needs_models_or_devices():
    model = make_model()
    optimizer = optimizers.SGD()
    optimizer.setup(model)
    iterator = iterators.SerialIterator(make_dataset(), BATCH_SIZE)
    with pytest.raises(ValueError, match='models or devices'):
        updaters.ParallelUpdater(iterator, optimizer)
    with pytest.raises(KeyError, match='main'):
        updaters.ParallelUpdater(iterator, optimizer, devices={'a': '@numpy'})


def test_loading_a_snapshot_gives_every_model_the_loaded_parameters():
    trained, trained_model = make_updater({'main': '@numpy', 'second': '@numpy'})
    trained.update()
    saved = {}
    trained.serialize(polychain.serializers.DictionarySerializer(saved))
    fresh, fresh_model = make_updater({'main': '@numpy', 'second': '@numpy'})
    fresh.serialize(polychain.serializers.NpzDeserializer(saved))
    expected = host_params(trained_model)
    for model in (fresh_model, fresh._models['second']):
        for path, value in host_params(model).items():
            numpy.testing.assert_array_equal(value, expected[path])
