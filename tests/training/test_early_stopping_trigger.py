"""EarlyStoppingTrigger as a stop trigger."""

import pytest

from polychain.training import triggers

from .training_setup import make_trainer, round_trip, scripted_observation

LOSSES = {1: 1.0, 2: 0.8, 3: 0.9, 4: 0.85, 5: 0.7, 6: 0.6}


def run_until_stopped(tmp_path, trigger, key='main/value', values=LOSSES):
    trainer = make_trainer(tmp_path, trigger)
    trainer.extend(scripted_observation(key, values))
    trainer.run()
    return trainer.updater.iteration


def test_stops_after_patience_checks_without_improvement(tmp_path):
    trigger = triggers.EarlyStoppingTrigger(check_trigger=(1, 'iteration'),
                                            monitor='main/value', patience=2)
    assert run_until_stopped(tmp_path, trigger) == 4
    assert trigger.best == 0.8 and trigger.count == 2


def test_patients_is_an_alias(tmp_path):
    trigger = triggers.EarlyStoppingTrigger(check_trigger=(1, 'iteration'),
                                            monitor='main/value', patients=3)
    assert trigger.patience == 3
    assert run_until_stopped(tmp_path, trigger, values={**LOSSES, 5: 0.9}) == 5


def test_accuracy_is_maximised_in_auto_mode(tmp_path):
    accuracies = {1: 0.5, 2: 0.6, 3: 0.55, 4: 0.7, 5: 0.6, 6: 0.6}
    trigger = triggers.EarlyStoppingTrigger(check_trigger=(1, 'iteration'),
                                            monitor='main/accuracy_value', patience=2)
    assert run_until_stopped(tmp_path, trigger, 'main/accuracy_value', accuracies) == 6
    trigger = triggers.EarlyStoppingTrigger(check_trigger=(1, 'iteration'),
                                            monitor='main/value', patience=1, mode='max')
    assert run_until_stopped(tmp_path, trigger) == 2


def test_max_trigger_stops_anyway(tmp_path):
    trigger = triggers.EarlyStoppingTrigger(monitor='main/value',
                                            max_trigger=(3, 'iteration'))
    assert run_until_stopped(tmp_path, trigger) == 3
    assert trigger.get_training_length() == (3, 'iteration')


def test_verbose_prints_the_decision(tmp_path, capsys):
    trigger = triggers.EarlyStoppingTrigger(check_trigger=(1, 'iteration'),
                                            monitor='main/value', patience=2, verbose=True)
    run_until_stopped(tmp_path, trigger)
    printed = capsys.readouterr().out
    assert 'operator is less' in printed and 'early stopping' in printed


def test_warns_when_the_monitored_key_is_missing(tmp_path):
    trigger = triggers.EarlyStoppingTrigger(check_trigger=(1, 'iteration'),
                                            monitor='absent', max_trigger=(2, 'iteration'))
    with pytest.warns(UserWarning, match='absent'):
        assert run_until_stopped(tmp_path, trigger) == 2


def test_invalid_arguments():
    with pytest.raises(ValueError, match='mode'):
        triggers.EarlyStoppingTrigger(mode='best')
    with pytest.raises(TypeError, match='not both'):
        triggers.EarlyStoppingTrigger(patience=1, patients=2)
    with pytest.raises(TypeError, match='unexpected'):
        triggers.EarlyStoppingTrigger(patient=2)


def test_serialize_keeps_best_and_count(tmp_path):
    trigger = triggers.EarlyStoppingTrigger(check_trigger=(1, 'iteration'),
                                            monitor='main/value', patience=2)
    run_until_stopped(tmp_path, trigger)
    restored = round_trip(trigger, triggers.EarlyStoppingTrigger(monitor='main/value'))
    assert (restored.best, restored.count) == (0.8, 2)
