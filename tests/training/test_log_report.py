"""LogReport: entries averaged over each interval, and the JSON log file."""

import json

import pytest

from polychain.serializers import load_npz, save_npz
from polychain.training import extensions

from .training_setup import ITERATIONS_PER_EPOCH, make_trainer, record_each_call


def losses_by_iteration(trainer):
    """Registers a recorder of ``main/loss`` (as a float) at every iteration."""
    losses = []
    trainer.extend(record_each_call(losses, lambda t: float(t.observation['main/loss'].array)),
                   priority=0)
    return losses


def test_one_entry_per_epoch_with_the_mean_of_the_observations(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    trainer.extend(extensions.LogReport())
    losses = losses_by_iteration(trainer)
    trainer.run()
    log = trainer.get_extension('LogReport').log
    assert [entry['epoch'] for entry in log] == [1, 2]
    assert [entry['iteration'] for entry in log] == [4, 8]
    n = ITERATIONS_PER_EPOCH
    for entry, epoch_losses in zip(log, (losses[:n], losses[n:])):
        assert entry['main/loss'] == pytest.approx(sum(epoch_losses) / n, rel=1e-6)
        assert set(entry) == {'main/loss', 'main/accuracy', 'epoch', 'iteration',
                              'elapsed_time'}
        assert entry['elapsed_time'] >= 0


def test_log_file_holds_the_entries_as_json(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    trainer.extend(extensions.LogReport())
    trainer.run()
    with open(tmp_path / 'log') as f:
        assert json.load(f) == trainer.get_extension('LogReport').log


def test_keys_trigger_postprocess_and_filename(tmp_path):
    def add_marker(entry):
        entry['marker'] = True

    trainer = make_trainer(tmp_path, (6, 'iteration'))
    trainer.extend(extensions.LogReport(keys=['main/loss'], trigger=(3, 'iteration'),
                                        postprocess=add_marker, filename='custom.json'))
    trainer.run()
    log = trainer.get_extension('LogReport').log
    assert [entry['iteration'] for entry in log] == [3, 6]
    assert all('main/accuracy' not in entry and entry['marker'] for entry in log)
    assert (tmp_path / 'custom.json').exists() and not (tmp_path / 'log').exists()


def test_no_file_when_filename_is_none(tmp_path):
    trainer = make_trainer(tmp_path, (1, 'epoch'))
    trainer.extend(extensions.LogReport(filename=None))
    trainer.run()
    assert list(tmp_path.iterdir()) == []
    assert len(trainer.get_extension('LogReport').log) == 1


def test_unexpected_argument_raises_type_error():
    with pytest.raises(TypeError, match='unexpected arguments'):
        extensions.LogReport(log_nme='x')


def test_serialize_round_trip_keeps_the_log_and_the_running_means(tmp_path):
    trainer = make_trainer(tmp_path / 'a', (6, 'iteration'))
    trainer.extend(extensions.LogReport(trigger=(4, 'iteration')))
    trainer.run()
    save_npz(str(tmp_path / 'snapshot.npz'), trainer)
    restored = make_trainer(tmp_path / 'b', (6, 'iteration'))
    restored.extend(extensions.LogReport(trigger=(4, 'iteration')))
    load_npz(str(tmp_path / 'snapshot.npz'), restored)
    original = trainer.get_extension('LogReport')
    loaded = restored.get_extension('LogReport')
    assert loaded.log == original.log
    assert loaded._summary.compute_mean() == pytest.approx(original._summary.compute_mean())
