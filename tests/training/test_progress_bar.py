"""ProgressBar: draws the progress of training into a stream."""

import io

import pytest

from polychain.training import extensions

from .training_setup import make_trainer


def test_draws_progress_until_the_end(tmp_path):
    out = io.StringIO()
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    trainer.extend(extensions.ProgressBar(update_interval=2, out=out))
    trainer.run()
    text = out.getvalue()
    assert '2.00/2 epochs' in text and '100%' in text
    assert '8 iter, 2 epoch' in text


def test_explicit_training_length_in_iterations(tmp_path):
    out = io.StringIO()
    trainer = make_trainer(tmp_path, (6, 'iteration'))
    trainer.extend(extensions.ProgressBar(training_length=(6, 'iteration'), update_interval=3,
                                          out=out))
    trainer.run()
    assert '6.00/6 iterations' in out.getvalue()


def test_needs_a_length_when_the_stop_trigger_has_none(tmp_path):
    trainer = make_trainer(tmp_path, lambda trainer: trainer.updater.iteration >= 2)
    trainer.extend(extensions.ProgressBar(out=io.StringIO()))
    with pytest.raises(ValueError, match='training_length'):
        trainer.run()
