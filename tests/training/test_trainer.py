"""Trainer: the loop, extension order and names, errors, elapsed time and serialization."""

import numpy
import pytest

from polychain import training
from polychain.serializers import load_npz, save_npz
from polychain.training import extensions

from .training_setup import ITERATIONS_PER_EPOCH, make_trainer, parameters, record_each_call


class Recorder(training.Extension):
    """Records its calls in a shared list."""

    def __init__(self, log, label, priority=training.PRIORITY_READER):
        self.log = log
        self.label = label
        self.priority = priority

    def initialize(self, trainer):
        self.log.append(('initialize', self.label, trainer.updater.iteration))

    def __call__(self, trainer):
        self.log.append(('call', self.label, trainer.updater.iteration))

    def finalize(self):
        self.log.append(('finalize', self.label))


class Failing(training.Extension):
    def __init__(self, at_iteration, log):
        self.at_iteration = at_iteration
        self.log = log

    def __call__(self, trainer):
        if trainer.updater.iteration == self.at_iteration:
            raise ValueError('extension failed')

    def on_error(self, trainer, exc, tb):
        self.log.append(('on_error', type(exc).__name__, str(exc)))

    def finalize(self):
        self.log.append(('finalize',))


@pytest.mark.parametrize('stop_trigger, iterations', [
    ((5, 'iteration'), 5), ((2, 'epoch'), 2 * ITERATIONS_PER_EPOCH),
    ((1.5, 'epoch'), 6)])
def test_stop_trigger_ends_training(tmp_path, stop_trigger, iterations):
    trainer = make_trainer(tmp_path, stop_trigger)
    trainer.run()
    assert trainer.updater.iteration == iterations


def test_extensions_run_by_priority_after_each_update(tmp_path):
    log = []
    trainer = make_trainer(tmp_path, (2, 'iteration'))
    trainer.extend(Recorder(log, 'reader', training.PRIORITY_READER))
    trainer.extend(Recorder(log, 'writer', training.PRIORITY_WRITER))
    trainer.extend(Recorder(log, 'editor', training.PRIORITY_EDITOR))
    trainer.run()
    assert log == [
        ('initialize', 'writer', 0), ('initialize', 'editor', 0), ('initialize', 'reader', 0),
        ('call', 'writer', 1), ('call', 'editor', 1), ('call', 'reader', 1),
        ('call', 'writer', 2), ('call', 'editor', 2), ('call', 'reader', 2),
        ('finalize', 'writer'), ('finalize', 'editor'), ('finalize', 'reader'),
    ]


def test_extend_priority_argument_overrides_the_extension(tmp_path):
    log = []
    trainer = make_trainer(tmp_path, (1, 'iteration'))
    trainer.extend(Recorder(log, 'first'), priority=1)
    trainer.extend(Recorder(log, 'second'), priority=2)
    trainer.run()
    assert [entry[1] for entry in log if entry[0] == 'call'] == ['second', 'first']


def test_extension_trigger_decides_when_it_runs(tmp_path):
    calls = []
    trainer = make_trainer(tmp_path, (7, 'iteration'))
    trainer.extend(record_each_call(calls), trigger=(3, 'iteration'))
    trainer.run()
    assert calls == [3, 6]


def test_epoch_trigger_runs_at_the_end_of_each_epoch(tmp_path):
    calls = []
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    trainer.extend(record_each_call(calls), trigger=(1, 'epoch'))
    trainer.run()
    assert calls == [ITERATIONS_PER_EPOCH, 2 * ITERATIONS_PER_EPOCH]


def test_call_before_training(tmp_path):
    calls = []
    trainer = make_trainer(tmp_path, (1, 'iteration'))
    trainer.extend(record_each_call(calls), call_before_training=True)
    trainer.run()
    assert calls == [0, 1]


def test_repeated_names_get_numbered(tmp_path):
    trainer = make_trainer(tmp_path)
    first, second, third = (extensions.LogReport(filename=None) for _ in range(3))
    for extension in (first, second, third):
        trainer.extend(extension)
    assert trainer.get_extension('LogReport') is first
    assert trainer.get_extension('LogReport_1') is second
    assert trainer.get_extension('LogReport_2') is third
    trainer.extend(extensions.LogReport(filename=None), name='custom')
    assert trainer.get_extension('custom').name == 'custom'


def test_unknown_and_reserved_names(tmp_path):
    trainer = make_trainer(tmp_path)
    with pytest.raises(ValueError, match='no extension called'):
        trainer.get_extension('missing')
    with pytest.raises(ValueError, match="'training' is reserved"):
        trainer.extend(extensions.LogReport(), name='training')


def test_elapsed_time_grows_during_training_and_is_fixed_after(tmp_path):
    seen = []
    trainer = make_trainer(tmp_path, (3, 'iteration'))
    trainer.extend(record_each_call(seen, lambda t: t.elapsed_time))
    trainer.run()
    assert seen == sorted(seen)
    assert seen[0] >= 0
    assert trainer.elapsed_time >= seen[-1]
    assert trainer.elapsed_time == trainer.elapsed_time


def test_failing_extension_calls_on_error_and_finalize_then_propagates(tmp_path):
    log = []
    trainer = make_trainer(tmp_path, (10, 'iteration'))
    trainer.extend(Failing(2, log))
    trainer.extend(Recorder(log, 'other'))
    with pytest.raises(ValueError, match='extension failed'):
        trainer.run(show_loop_exception_msg=False)
    assert trainer.updater.iteration == 2
    assert ('on_error', 'ValueError', 'extension failed') in log
    assert ('finalize',) in log and ('finalize', 'other') in log
    assert log.index(('on_error', 'ValueError', 'extension failed')) < log.index(('finalize',))


def test_loop_exception_message_goes_to_stderr(tmp_path, capsys):
    trainer = make_trainer(tmp_path, (10, 'iteration'))
    trainer.extend(Failing(1, []))
    with pytest.raises(ValueError):
        trainer.run()
    assert 'extension failed' in capsys.readouterr().err


def test_a_trainer_runs_only_once(tmp_path):
    trainer = make_trainer(tmp_path, (1, 'iteration'))
    trainer.run()
    with pytest.raises(RuntimeError, match='twice'):
        trainer.run()


def test_run_creates_the_output_directory(tmp_path):
    out = tmp_path / 'nested' / 'result'
    make_trainer(out, (1, 'iteration')).run()
    assert out.is_dir()


def test_serialize_round_trip_through_npz(tmp_path):
    trainer = make_trainer(tmp_path / 'a', (6, 'iteration'),
                           extensions=[extensions.LogReport(trigger=(2, 'iteration'))])
    trainer.run()
    save_npz(str(tmp_path / 'trainer.npz'), trainer)

    restored = make_trainer(tmp_path / 'b', (6, 'iteration'),
                            extensions=[extensions.LogReport(trigger=(2, 'iteration'))])
    load_npz(str(tmp_path / 'trainer.npz'), restored)
    assert restored.updater.iteration == 6
    assert restored.updater.epoch_detail == trainer.updater.epoch_detail
    for path, array in parameters(trainer).items():
        numpy.testing.assert_array_equal(parameters(restored)[path], array)
    assert restored.get_extension('LogReport').log == trainer.get_extension('LogReport').log
    assert restored._snapshot_elapsed_time == pytest.approx(trainer.elapsed_time)
    with pytest.raises(RuntimeError, match='not been started'):
        _ = restored.elapsed_time


def test_before_training_flag_and_failing_error_handlers(tmp_path, capsys):
    trainer = make_trainer(tmp_path, (3, 'iteration'))
    flags, handled = [], []

    def record(trainer):
        flags.append(trainer.is_before_training)

    class Boom(Exception):
        pass

    @training.make_extension(trigger=(2, 'iteration'), priority=100,
                             on_error=lambda *args: handled.append('raiser') or 1 / 0)
    def raiser(trainer):
        raise Boom()

    late = training.make_extension(trigger=(1, 'iteration'), priority=1,
                                   on_error=lambda *args: handled.append('late'))(record)
    trainer.extend(late, name='late', call_before_training=True)
    trainer.extend(raiser)
    with pytest.raises(Boom):
        trainer.run(show_loop_exception_msg=False)
    assert flags == [True, False] and handled == ['raiser', 'late']
    assert 'ZeroDivisionError' in capsys.readouterr().err
    assert trainer.is_before_training is False


def test_make_extension_rejects_removed_and_unknown_arguments():
    with pytest.raises(ValueError, match='invoke_before_training'):
        training.make_extension(invoke_before_training=True)
    with pytest.raises(TypeError, match='foo'):
        training.make_extension(foo=1)
