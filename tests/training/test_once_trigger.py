"""OnceTrigger."""

from polychain.training import triggers

from .training_setup import fired_iterations, make_trainer, round_trip


def test_fires_at_the_first_call_only(tmp_path):
    trigger = triggers.OnceTrigger()
    assert not trigger.finished
    assert fired_iterations(make_trainer(tmp_path, (3, 'iteration')), trigger) == [1]
    assert trigger.finished


def test_call_on_resume_fires_again_after_loading(tmp_path):
    for call_on_resume, expected in ((False, []), (True, [1])):
        trigger = triggers.OnceTrigger(call_on_resume)
        assert trigger(None) is True
        restored = round_trip(trigger, triggers.OnceTrigger(call_on_resume))
        trainer = make_trainer(tmp_path, (2, 'iteration'))
        assert fired_iterations(trainer, restored) == expected
