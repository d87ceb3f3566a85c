"""observe_value and observe_lr."""

import pytest

from polychain.training import PRIORITY_WRITER, extensions

from .training_setup import make_trainer


def test_observe_lr_is_logged_every_epoch(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    trainer.extend(extensions.observe_lr())
    trainer.extend(extensions.ExponentialShift('lr', 0.5), trigger=(1, 'epoch'))
    trainer.extend(extensions.LogReport())
    trainer.run()
    assert [entry['lr'] for entry in trainer.get_extension('LogReport').log] == \
        pytest.approx([0.1, 0.05])


def test_observe_value_records_the_function_result(tmp_path):
    trainer = make_trainer(tmp_path, (3, 'iteration'))
    extension = extensions.observe_value('twice', lambda t: 2 * t.updater.iteration)
    assert extension.trigger == (1, 'epoch') and extension.priority == PRIORITY_WRITER
    trainer.extend(extension, trigger=(1, 'iteration'))
    trainer.extend(extensions.LogReport(trigger=(3, 'iteration')))
    trainer.run()
    assert trainer.get_extension('LogReport').log[0]['twice'] == pytest.approx(4.0)
