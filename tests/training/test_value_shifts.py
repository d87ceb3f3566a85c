"""ExponentialShift, LinearShift, StepShift, MultistepShift and WarmupShift."""

import pytest

from polychain import optimizers
from polychain.training import extensions

from .training_setup import make_trainer, record_each_call, round_trip


def schedule(tmp_path, shift, calls=6, optimizer=None, attr='lr'):
    """The attribute after ``initialize`` and after each of ``calls`` calls."""
    trainer = make_trainer(tmp_path, optimizer=optimizer)
    optimizer = trainer.updater.get_optimizer('main')
    shift.initialize(trainer)
    values = [getattr(optimizer, attr)]
    for _ in range(calls):
        shift(trainer)
        values.append(getattr(optimizer, attr))
    return values


@pytest.mark.parametrize('shift, expected', [
    (extensions.ExponentialShift('lr', 0.5, init=1.0), [1, .5, .25, .125, .0625, .03125, .015625]),
    (extensions.ExponentialShift('lr', 0.5, init=1.0, target=0.2), [1, .5, .25, .2, .2, .2, .2]),
    (extensions.ExponentialShift('lr', 2.0, init=1.0, target=5), [1, 2, 4, 5, 5, 5, 5]),
    (extensions.StepShift('lr', 0.1, 2, init=1.0), [1, 1, .1, .1, .01, .01, .001]),
    (extensions.StepShift('lr', 0.1, 2, init=1.0, target=0.05), [1, 1, .1, .1, .05, .05, .05]),
    (extensions.MultistepShift('lr', 0.5, [2, 5], init=1.0), [1, 1, .5, .5, .5, .25, .25]),
    (extensions.LinearShift('lr', (1.0, 2.0), (2, 4)), [1, 1, 1, 1.5, 2, 2, 2]),
    (extensions.WarmupShift('lr', 0.0, 4, init=1.0), [0, .25, .5, .75, 1, 1, 1]),
    (extensions.InverseShift('lr', 1.0, 1.0, init=6.0), [6, 3, 2, 1.5, 1.2, 1, 6 / 7]),
    (extensions.InverseShift('lr', 1.0, -1.0, init=1.0, target=3.5), [1, 2, 3, 3.5, 3.5, 3.5, 3.5]),
    (extensions.PolynomialShift('lr', 1.0, 4, init=2.0), [2, 1.5, 1, .5, 0, 0, 0]),
    (extensions.PolynomialShift('lr', 2.0, 4, init=1.0, target=.5), [1, .5625, .5, .5, .5, .5, .5]),
    (extensions.PolynomialShift('lr', -1.0, 4, init=1.0, target=3.0), [1, 4 / 3, 2, 3, 3, 3, 3]),
])
def test_schedules(tmp_path, shift, expected):
    assert schedule(tmp_path, shift) == pytest.approx(expected)


@pytest.mark.parametrize('make_shift', [
    lambda: extensions.ExponentialShift('lr', 0.5),
    lambda: extensions.StepShift('lr', 0.5, 1),
    lambda: extensions.MultistepShift('lr', 0.5, [1], None),
    lambda: extensions.InverseShift('lr', 1.0, 1.0),
    lambda: extensions.PolynomialShift('lr', 1.0, 2),
])
def test_init_defaults_to_the_optimizer_value(tmp_path, make_shift):
    assert schedule(tmp_path, make_shift(), calls=1) == pytest.approx([0.1, 0.05])


def test_warmup_start_defaults_to_the_optimizer_value(tmp_path):
    assert schedule(tmp_path, extensions.WarmupShift('lr', None, 2, init=0.3), 2) == \
        pytest.approx([0.1, 0.2, 0.3])


def test_any_attribute_of_a_given_optimizer(tmp_path):
    adam = optimizers.Adam(alpha=0.01)
    shift = extensions.ExponentialShift('alpha', 0.5, optimizer=adam)
    assert schedule(tmp_path, shift, calls=2, optimizer=adam, attr='alpha') == \
        pytest.approx([0.01, 0.005, 0.0025])


def test_invalid_arguments():
    with pytest.raises(ValueError, match='rate'):
        extensions.ExponentialShift('lr', -0.5)
    with pytest.raises(ValueError, match='step'):
        extensions.StepShift('lr', 0.5, 0)
    with pytest.raises(ValueError, match='increasing'):
        extensions.MultistepShift('lr', 0.5, [3, 1], 1.0)
    with pytest.raises(ValueError, match='gamma'):
        extensions.InverseShift('lr', -1.0, 1.0)
    with pytest.raises(ValueError, match='warmup_iter'):
        extensions.WarmupShift('lr', 0.0, 0, 1.0)


def test_the_trainer_uses_each_value_for_the_next_update(tmp_path):
    lrs = []
    trainer = make_trainer(tmp_path, (3, 'iteration'))
    trainer.extend(record_each_call(lrs, lambda t: t.updater.get_optimizer('main').lr),
                   priority=1000)
    trainer.extend(extensions.ExponentialShift('lr', 0.5), trigger=(1, 'iteration'))
    trainer.run()
    assert lrs == pytest.approx([0.1, 0.05, 0.025])


def test_loading_before_initialize_restores_the_last_value(tmp_path):
    shift = extensions.ExponentialShift('lr', 0.5, init=1.0)
    schedule(tmp_path, shift, calls=3)
    restored = round_trip(shift, extensions.ExponentialShift('lr', 0.5, init=1.0))
    assert schedule(tmp_path, restored, calls=1) == pytest.approx([0.125, 0.0625])


def test_loading_after_initialize_sets_the_optimizer_at_once(tmp_path):
    shift = extensions.LinearShift('lr', (1.0, 2.0), (0, 4))
    schedule(tmp_path, shift, calls=2)
    trainer = make_trainer(tmp_path)
    restored = extensions.LinearShift('lr', (1.0, 2.0), (0, 4))
    restored.initialize(trainer)
    assert trainer.updater.get_optimizer('main').lr == 1.0
    round_trip(shift, restored)
    assert trainer.updater.get_optimizer('main').lr == 1.5
