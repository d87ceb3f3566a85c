"""TimeTrigger, and triggers loaded from snapshots that predate their saved state."""

import io
import types

import numpy
import pytest

from polychain import serializers
from polychain.training import triggers


def test_time_trigger_fires_on_the_grid_of_periods():
    trigger, trainer = triggers.TimeTrigger(1), types.SimpleNamespace(elapsed_time=0.0)
    fired = []
    for elapsed in (0.0, 0.9, 1.2, 1.3, 2.1, 4.5, 4.6):
        trainer.elapsed_time = elapsed
        fired.append(trigger(trainer))
    assert fired == [False, False, True, False, True, True, True]


def test_time_trigger_resumes_its_next_time():
    trigger = triggers.TimeTrigger(1)
    trigger(types.SimpleNamespace(elapsed_time=1.2))
    stream = io.BytesIO()
    serializers.save_npz(stream, trigger)
    loaded = triggers.TimeTrigger(1)
    serializers.load_npz(io.BytesIO(stream.getvalue()), loaded)
    assert loaded._next_time == 2.0


@pytest.mark.parametrize('make, finished', [
    (lambda: triggers.OnceTrigger(), True),
    (lambda: triggers.OnceTrigger(call_on_resume=True), False),
    (lambda: triggers.ManualScheduleTrigger(3, 'iteration'), False),
    (lambda: triggers.IntervalTrigger(2, 'iteration'), None),
])
def test_old_snapshots_without_trigger_state_warn(make, finished):
    stream = io.BytesIO()
    numpy.savez(stream, dummy=0)
    trigger = make()
    with pytest.warns(UserWarning, match='older version'):
        serializers.load_npz(io.BytesIO(stream.getvalue()), trigger)
    if finished is not None:
        assert trigger.finished is finished
