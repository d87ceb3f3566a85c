"""ManualScheduleTrigger."""

import pytest

from polychain import training
from polychain.serializers import load_npz, save_npz
from polychain.training import triggers

from .training_setup import fired_iterations, make_trainer


@pytest.mark.parametrize('points, unit, expected', [
    ([2, 5], 'iteration', [2, 5]),
    (3, 'iteration', [3]),
    ([1, 1.5], 'epoch', [4, 6]),
])
def test_fires_at_the_points(tmp_path, points, unit, expected):
    trainer = make_trainer(tmp_path, (8, 'iteration'))
    assert fired_iterations(trainer, triggers.ManualScheduleTrigger(points, unit)) == expected


def test_finished_after_the_last_point(tmp_path):
    trigger = triggers.ManualScheduleTrigger([1, 2], 'iteration')
    trainer = make_trainer(tmp_path, (1, 'iteration'))
    fired_iterations(trainer, trigger)
    assert not trigger.finished
    trainer = make_trainer(tmp_path, (3, 'iteration'))
    trigger = triggers.ManualScheduleTrigger([1, 2], 'iteration')
    fired_iterations(trainer, trigger)
    assert trigger.finished


def test_invalid_arguments():
    with pytest.raises(ValueError, match='unit'):
        triggers.ManualScheduleTrigger(1, 'iter')
    with pytest.raises(ValueError, match='at least one point'):
        triggers.ManualScheduleTrigger([], 'epoch')


class CountInitialize(training.Extension):
    def __init__(self):
        self.initialized = 0

    def initialize(self, trainer):
        self.initialized += 1

    def __call__(self, trainer):
        pass


def test_resumed_trainer_skips_initialize_of_finished_extensions(tmp_path):
    def build(stop):
        trainer = make_trainer(tmp_path, (stop, 'iteration'))
        extension = CountInitialize()
        trainer.extend(extension, trigger=triggers.ManualScheduleTrigger(2, 'iteration'))
        return trainer, extension

    trainer, extension = build(3)
    trainer.run()
    assert extension.initialized == 1
    save_npz(str(tmp_path / 'snapshot'), trainer)
    resumed, extension = build(5)
    load_npz(str(tmp_path / 'snapshot'), resumed)
    resumed.run()
    assert extension.initialized == 0
    assert resumed.updater.iteration == 5
