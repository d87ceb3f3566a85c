"""IntervalTrigger and get_trigger."""

import pytest

from polychain.training import triggers

from .training_setup import fired_iterations, make_trainer, round_trip


@pytest.mark.parametrize('trigger, expected', [
    ((2, 'iteration'), [2, 4, 6, 8]),
    ((1, 'epoch'), [4, 8]),
    ((0.5, 'epoch'), [2, 4, 6, 8]),
])
def test_fires_every_period(tmp_path, trigger, expected):
    assert fired_iterations(make_trainer(tmp_path, (8, 'iteration')), trigger) == expected


def test_invalid_unit():
    with pytest.raises(ValueError, match="expected unit 'epoch' or 'iteration'"):
        triggers.IntervalTrigger(1, 'epochs')
    with pytest.raises(ValueError, match='positive period'):
        triggers.IntervalTrigger(0, 'iteration')


def test_get_trigger():
    assert isinstance(triggers.get_trigger((3, 'epoch')), triggers.IntervalTrigger)
    assert triggers.get_trigger((3, 'epoch')).get_training_length() == (3, 'epoch')

    def custom(trainer):
        return True
    assert triggers.get_trigger(custom) is custom
    assert triggers.get_trigger(None)(None) is False


def test_serialize_keeps_the_position(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'iteration'))
    trigger = triggers.IntervalTrigger(3, 'iteration')
    trainer.extend(lambda trainer: None, name='noop', trigger=trigger)
    trainer.run()
    restored = round_trip(trigger, triggers.IntervalTrigger(3, 'iteration'))
    trainer.updater.iteration = 3
    assert restored(trainer) is True
