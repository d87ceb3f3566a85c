"""MaxValueTrigger, MinValueTrigger and BestValueTrigger."""

import operator

import pytest

from polychain.training import triggers

from .training_setup import fired_iterations, make_trainer, round_trip, scripted_observation

VALUES = {1: 0.5, 2: 0.3, 3: 0.7, 4: 0.7, 5: 0.9, 6: 0.1}


def fired(tmp_path, trigger):
    trainer = make_trainer(tmp_path, (6, 'iteration'))
    trainer.extend(scripted_observation('value', VALUES))
    return fired_iterations(trainer, trigger)


@pytest.mark.parametrize('trigger_class, expected', [
    (triggers.MaxValueTrigger, [1, 3, 5]),
    (triggers.MinValueTrigger, [1, 2, 6]),
])
def test_fires_on_a_new_best_value(tmp_path, trigger_class, expected):
    assert fired(tmp_path, trigger_class('value', trigger=(1, 'iteration'))) == expected


def test_compares_the_mean_over_each_interval(tmp_path):
    # Means over pairs of iterations: 0.4, 0.7, 0.5.
    assert fired(tmp_path, triggers.MaxValueTrigger('value', (2, 'iteration'))) == [2, 4]
    assert fired(tmp_path, triggers.MinValueTrigger('value', (2, 'iteration'))) == [2]


def test_custom_comparison(tmp_path):
    trigger = triggers.BestValueTrigger('value', operator.ge, (1, 'iteration'))
    # ``compare(best, new)``: best >= new means "smaller or equal is better".
    assert fired(tmp_path, trigger) == [1, 2, 6]


def test_never_fires_without_the_key(tmp_path):
    trainer = make_trainer(tmp_path, (4, 'iteration'))
    assert fired_iterations(trainer, triggers.MaxValueTrigger('absent', (1, 'iteration'))) == []


def test_serialize_keeps_the_best_value(tmp_path):
    trigger = triggers.MaxValueTrigger('value', (1, 'iteration'))
    fired(tmp_path, trigger)
    restored = round_trip(trigger, triggers.MaxValueTrigger('value', (1, 'iteration')))
    assert restored._best_value == pytest.approx(0.9)
    assert restored._interval_trigger._progress.previous_iteration == 6
