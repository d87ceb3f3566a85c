"""FailOnNonNumber."""

import numpy
import pytest

from polychain import training
from polychain.training import extensions

from .training_setup import make_trainer


def poison(attribute, at_iteration):
    @training.make_extension(trigger=(1, 'iteration'), priority=training.PRIORITY_WRITER + 1)
    def set_nan(trainer):
        if trainer.updater.iteration == at_iteration:
            param = trainer.updater.get_optimizer('main').target.predictor.W
            values = numpy.array(getattr(param, attribute))
            values[0, 0] = numpy.nan if attribute == 'array' else numpy.inf
            setattr(param, attribute, values)
    return set_nan


def test_finite_training_passes(tmp_path):
    trainer = make_trainer(tmp_path, (3, 'iteration'))
    trainer.extend(extensions.FailOnNonNumber())
    trainer.run()
    assert trainer.updater.iteration == 3


@pytest.mark.parametrize('attribute, message', [('array', 'parameter'), ('grad', 'gradient')])
def test_non_finite_values_stop_training(tmp_path, attribute, message):
    trainer = make_trainer(tmp_path, (5, 'iteration'))
    trainer.extend(poison(attribute, 2))
    trainer.extend(extensions.FailOnNonNumber())
    with pytest.raises(RuntimeError, match=f'{message} .*/predictor/W.* not finite'):
        trainer.run(show_loop_exception_msg=False)
    assert trainer.updater.iteration == 2


def test_gradients_are_ignored_without_check_grad(tmp_path):
    trainer = make_trainer(tmp_path, (3, 'iteration'))
    trainer.extend(poison('grad', 2))
    trainer.extend(extensions.FailOnNonNumber(check_grad=False))
    trainer.run()
