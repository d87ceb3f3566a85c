"""Evaluator: the mean of the target's reports over a validation iterator, in test mode."""

import numpy
import pytest

import polychain.functions as F
from polychain import configuration, iterators
from polychain.dataset import concat_examples
from polychain.training import extensions

from .training_setup import make_dataset, make_model, make_trainer


def validation_iterator(batch_size=10):
    return iterators.SerialIterator(make_dataset(seed=5), batch_size, repeat=False,
                                    shuffle=False)


def expected_means(model, batch_size=10):
    dataset = make_dataset(seed=5)
    losses, accuracies = [], []
    for start in range(0, len(dataset), batch_size):
        x, t = concat_examples(dataset[start:start + batch_size])
        y = model.predictor(x)
        losses.append(float(F.softmax_cross_entropy(y, t).array))
        accuracies.append(float(F.accuracy(y, t).array))
    return numpy.mean(losses), numpy.mean(accuracies)


def test_reports_validation_loss_and_accuracy(tmp_path):
    trainer = make_trainer(tmp_path, (1, 'epoch'))
    model = trainer.updater.get_optimizer('main').target
    trainer.extend(extensions.Evaluator(validation_iterator(), model))
    trainer.extend(extensions.LogReport())
    trainer.run()
    entry = trainer.get_extension('LogReport').log[-1]
    loss, accuracy = expected_means(model)
    assert entry['validation/main/loss'] == pytest.approx(loss, rel=1e-6)
    assert entry['validation/main/accuracy'] == pytest.approx(accuracy, rel=1e-6)


def test_evaluate_restarts_the_iterator_and_runs_in_test_mode():
    modes = []
    model = make_model()

    def eval_func(x, t):
        modes.append((configuration.config.train, configuration.config.enable_backprop))
        return model(x, t)

    hooks = []
    evaluator = extensions.Evaluator(validation_iterator(batch_size=15), model,
                                     eval_func=eval_func, eval_hook=hooks.append)
    first = evaluator()
    second = evaluator()
    assert first == second
    assert modes == [(False, False)] * 6
    assert hooks == [evaluator, evaluator]
    # Batches of 15, 15 and 10 are averaged with equal weight, as in Chainer.
    loss, accuracy = expected_means(model, batch_size=15)
    # Called outside a trainer, which would name it 'validation', the keys have no prefix.
    assert first['main/loss'] == pytest.approx(loss, rel=1e-6)
    assert first['main/accuracy'] == pytest.approx(accuracy, rel=1e-6)


def test_named_evaluator_prefixes_its_name(tmp_path):
    trainer = make_trainer(tmp_path, (1, 'epoch'))
    model = trainer.updater.get_optimizer('main').target
    trainer.extend(extensions.Evaluator(validation_iterator(), model), name='test')
    trainer.extend(extensions.LogReport())
    trainer.run()
    assert 'test/main/loss' in trainer.get_extension('LogReport').log[-1]


def test_repeating_iterator_warns_and_finalize_reaches_the_iterators(capsys):
    model = make_model()
    with pytest.warns(UserWarning, match='repeats'):
        extensions.Evaluator(iterators.SerialIterator(make_dataset(), 10), model)
    iterator = validation_iterator(batch_size=15)
    finalized = []
    iterator.finalize = lambda: finalized.append(True)
    evaluator = extensions.Evaluator(iterator, model, progress_bar=True)
    evaluator.name = 'val'
    assert 'val/main/loss' in evaluator()
    assert 'validation: 3/3 iterations' in capsys.readouterr().err
    evaluator.finalize()
    assert finalized == [True]
