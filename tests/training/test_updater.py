"""training.Updater, the interface of updaters, and the names training exports."""

import pytest

from polychain import training
from polychain.training import triggers, updaters


def test_updater_interface():
    updater = training.Updater()
    updater.connect_trainer(None)
    updater.finalize()
    for call in (lambda: updater.get_optimizer('main'), updater.get_all_optimizers,
                 updater.update, lambda: updater.serialize(None)):
        with pytest.raises(NotImplementedError):
            call()
    assert issubclass(updaters.StandardUpdater, training.Updater)
    assert issubclass(updaters.MultiprocessParallelUpdater, training.Updater)


def test_training_exports():
    assert training.IntervalTrigger is triggers.IntervalTrigger
    assert training.ParallelUpdater is updaters.ParallelUpdater
    assert {'IntervalTrigger', 'ParallelUpdater', 'Updater'} <= set(training.__all__)


def test_the_updater_module_gives_the_updaters_as_in_chainer():
    # Chainer's examples (image_captioning/train.py) call training.updater.StandardUpdater.
    from polychain.training import updater
    assert updater.StandardUpdater is updaters.StandardUpdater
    assert updater.ParallelUpdater is updaters.ParallelUpdater
    assert not hasattr(updater, 'Missing')
