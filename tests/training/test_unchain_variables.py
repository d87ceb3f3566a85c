"""unchain_variables: unchains the observed Variables while keep_graph_on_report is on."""

import numpy

import polychain
from polychain import training
from polychain.training import extensions

from .training_setup import make_trainer


def run_with_flag(tmp_path, keep_graph):
    losses = []
    trainer = make_trainer(tmp_path, stop_trigger=(2, 'iteration'))
    trainer.extend(lambda t: losses.append(t.observation['main/loss']), name='grab',
                   trigger=(1, 'iteration'))
    trainer.extend(extensions.unchain_variables())
    with polychain.using_config('keep_graph_on_report', keep_graph):
        trainer.run()
    return losses


def test_unchains_reported_variables_when_graphs_are_kept(tmp_path):
    losses = run_with_flag(tmp_path, True)
    assert len(losses) == 2
    assert all(isinstance(loss, polychain.Variable) for loss in losses)
    assert all(loss.creator is None for loss in losses)


def test_does_nothing_without_kept_graphs(tmp_path):
    extension = extensions.unchain_variables()
    extension.initialize(None)
    assert extension.trigger(None) is False


def test_observes_the_previous_flag():
    extension = extensions.unchain_variables()
    with polychain.using_config('keep_graph_on_report', True):
        extension.initialize(None)
    assert extension.trigger(None) is True  # the flag was on when the graph was reported
    assert extension.trigger(None) is False


def test_calls_unchain_backward_and_runs_last():
    x = polychain.Variable(numpy.ones(2, 'f'))
    y = x * 2

    class FakeTrainer:
        observation = {'y': y, 'n': 1.0}

    extensions.unchain_variables()(FakeTrainer())
    assert y.creator is None
    assert extensions.unchain_variables.priority == 0 < training.PRIORITY_READER
