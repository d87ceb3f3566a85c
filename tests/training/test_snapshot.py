"""snapshot and snapshot_object: files, retention, errors, and resuming bit-identically."""

import os
import warnings

import numpy
import pytest

import polychain.functions as F
from polychain import Chain, iterators, optimizers, training
from polychain import links as L
from polychain.serializers import load_hdf5, load_npz, save_hdf5
from polychain.training import extensions
from polychain.training.extensions._snapshot import (
    _find_latest_snapshot,
    _find_snapshot_files,
    _find_stale_snapshots,
)

from .training_setup import (
    BATCH_SIZE,
    ITERATIONS_PER_EPOCH,
    make_dataset,
    make_model,
    make_trainer,
    parameters,
)


def snapshot_names(out):
    return sorted((name for name in os.listdir(out) if name.startswith('snapshot')),
                  key=lambda name: int(name.rsplit('_', 1)[1]))


def test_takes_a_snapshot_every_epoch(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    trainer.extend(extensions.snapshot())
    trainer.run()
    assert snapshot_names(tmp_path) == ['snapshot_iter_4', 'snapshot_iter_8']
    restored = make_trainer(tmp_path / 'restored', (2, 'epoch'))
    restored.extend(extensions.snapshot())
    load_npz(str(tmp_path / 'snapshot_iter_8'), restored)
    assert restored.updater.iteration == 8
    for path, array in parameters(trainer).items():
        numpy.testing.assert_array_equal(parameters(restored)[path], array)


def test_snapshot_object_saves_the_target_only(tmp_path):
    trainer = make_trainer(tmp_path, (3, 'iteration'))
    model = trainer.updater.get_optimizer('main').target
    trainer.extend(extensions.snapshot_object(model, 'model_{.updater.iteration}'),
                   trigger=(1, 'iteration'))
    trainer.run()
    assert sorted(os.listdir(tmp_path)) == ['model_1', 'model_2', 'model_3']
    loaded = make_model(seed=7)
    load_npz(str(tmp_path / 'model_3'), loaded)
    for (_, expected), (_, param) in zip(model.namedparams(), loaded.namedparams()):
        numpy.testing.assert_array_equal(param.array, expected.array)


def test_callable_filename_condition_and_savefun(tmp_path):
    trainer = make_trainer(tmp_path, (4, 'iteration'))
    model = trainer.updater.get_optimizer('main').target
    trainer.extend(extensions.snapshot_object(
        model, lambda t: f'model{t.updater.iteration}.h5', savefun=save_hdf5,
        condition=lambda: trainer.updater.iteration % 2 == 0), trigger=(1, 'iteration'))
    trainer.run()
    assert sorted(os.listdir(tmp_path)) == ['model2.h5', 'model4.h5']
    loaded = make_model(seed=7)
    load_hdf5(str(tmp_path / 'model4.h5'), loaded)
    numpy.testing.assert_array_equal(loaded.predictor.W.array, model.predictor.W.array)


def test_writer_receives_filename_outdir_and_target(tmp_path):
    calls = []

    class ListWriter(extensions.snapshot_writers.Writer):
        def __call__(self, filename, outdir, target):
            calls.append((filename, outdir, target))

    trainer = make_trainer(tmp_path, (1, 'epoch'))
    trainer.extend(extensions.snapshot(writer=ListWriter()))
    trainer.run()
    assert calls == [('snapshot_iter_4', str(tmp_path), trainer)]


def test_savefun_and_writer_exclude_each_other():
    writer = extensions.snapshot_writers.SimpleWriter()
    with pytest.raises(TypeError, match='savefun and writer'):
        extensions.snapshot(savefun=save_hdf5, writer=writer)
    with pytest.raises(TypeError, match='savefun and writer'):
        extensions.snapshot_object(object(), 'x', savefun=save_hdf5, writer=writer)


def test_autoload_and_n_retains_need_a_format_string():
    with pytest.raises(ValueError, match='format string'):
        extensions.snapshot(filename=lambda trainer: 'x', autoload=True)
    with pytest.raises(TypeError, match='filename'):
        extensions.snapshot(filename=3)


def test_n_retains_keeps_the_newest_files(tmp_path):
    trainer = make_trainer(tmp_path, (5, 'iteration'))
    trainer.extend(extensions.snapshot(n_retains=2), trigger=(1, 'iteration'))
    trainer.run()
    assert snapshot_names(tmp_path) == ['snapshot_iter_4', 'snapshot_iter_5']


def test_snapshot_on_error(tmp_path):
    def fail_at_three(trainer):
        if trainer.updater.iteration == 3:
            raise RuntimeError('stop here')

    trainer = make_trainer(tmp_path, (10, 'iteration'))
    trainer.extend(extensions.snapshot(snapshot_on_error=True))
    trainer.extend(fail_at_three, name='fail', trigger=(1, 'iteration'))
    with pytest.raises(RuntimeError, match='stop here'):
        trainer.run(show_loop_exception_msg=False)
    assert snapshot_names(tmp_path) == ['snapshot_iter_3']


def test_no_temporary_files_are_left(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'iteration'))
    trainer.extend(extensions.snapshot(), trigger=(1, 'iteration'))
    trainer.run()
    assert sorted(os.listdir(tmp_path)) == ['snapshot_iter_1', 'snapshot_iter_2']


def test_find_snapshot_files_orders_by_time_then_number(tmp_path):
    for name in ('snap_10.npz', 'snap_9.npz', 'snap_x.txt', 'other_1.npz'):
        (tmp_path / name).write_bytes(b'')
    os.utime(tmp_path / 'snap_10.npz', ns=(10**9, 10**9))
    os.utime(tmp_path / 'snap_9.npz', ns=(10**9, 10**9))
    (tmp_path / 'snap_dir.npz').mkdir()
    found = _find_snapshot_files('snap_{.updater.iteration}.npz', str(tmp_path))
    assert found == [(1.0, 'snap_9.npz'), (1.0, 'snap_10.npz')]
    assert _find_snapshot_files('snap_{}.npz', str(tmp_path / 'missing')) == []
    assert _find_latest_snapshot('snap_{}.npz', str(tmp_path)) == 'snap_10.npz'
    assert _find_latest_snapshot('snap_{}.npz', str(tmp_path / 'missing')) is None
    assert list(_find_stale_snapshots('snap_{}.npz', str(tmp_path), 1)) == ['snap_9.npz']


def build_resumable(out, stop_iteration, autoload):
    """A trainer with optimizer state, a learning-rate schedule and a log, all snapshotted."""
    trainer = make_trainer(out, (stop_iteration, 'iteration'),
                           optimizer=optimizers.MomentumSGD(lr=0.2, momentum=0.9))
    trainer.extend(extensions.ExponentialShift('lr', 0.8), trigger=(1, 'iteration'))
    trainer.extend(extensions.LogReport(trigger=(1, 'iteration'), filename=None))
    trainer.extend(extensions.snapshot(autoload=autoload), trigger=(1, 'iteration'))
    return trainer


def test_autoload_resumes_bit_identically(tmp_path):
    total = 2 * ITERATIONS_PER_EPOCH + 1
    uninterrupted = build_resumable(tmp_path / 'straight', total, autoload=False)
    uninterrupted.run()

    out = tmp_path / 'interrupted'
    build_resumable(out, ITERATIONS_PER_EPOCH + 2, autoload=True).run()
    resumed = build_resumable(out, total, autoload=True)
    resumed.run()

    assert resumed.updater.iteration == total
    for path, array in parameters(uninterrupted).items():
        numpy.testing.assert_array_equal(parameters(resumed)[path], array, err_msg=path)
    straight_optimizer = uninterrupted.updater.get_optimizer('main')
    resumed_optimizer = resumed.updater.get_optimizer('main')
    assert resumed_optimizer.lr == straight_optimizer.lr
    assert resumed_optimizer.t == straight_optimizer.t
    for (path, param), (_, resumed_param) in zip(straight_optimizer.target.namedparams(),
                                                 resumed_optimizer.target.namedparams()):
        numpy.testing.assert_array_equal(resumed_param.update_rule.state['v'],
                                         param.update_rule.state['v'], err_msg=path)

    def without_time(log):
        return [{k: v for k, v in entry.items() if k != 'elapsed_time'} for entry in log]
    assert without_time(resumed.get_extension('LogReport').log) == \
        without_time(uninterrupted.get_extension('LogReport').log)


def test_autoload_without_snapshot_starts_afresh(tmp_path):
    trainer = build_resumable(tmp_path, 2, autoload=True)
    trainer.run()
    assert trainer.updater.iteration == 2


def test_autoload_snapshot_object(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'iteration'))
    model = trainer.updater.get_optimizer('main').target
    trainer.extend(extensions.snapshot_object(model, 'model_{.updater.iteration}'),
                   trigger=(1, 'iteration'))
    trainer.run()

    fresh = make_model(seed=7)
    later = training.Trainer(trainer.updater, (2, 'iteration'), out=str(tmp_path))
    later.extend(extensions.snapshot_object(fresh, 'model_{.updater.iteration}',
                                            autoload=True))
    later.get_extension('Snapshot').initialize(later)
    numpy.testing.assert_array_equal(fresh.predictor.W.array, model.predictor.W.array)


def test_n_retains_and_autoload_ignore_names_the_template_cannot_produce(tmp_path):
    user_files = ['snapshot_iter_best.bak', 'snapshot_iter_notes.txt', 'snapshot_iter_README',
                  'snapshot_iter_3x']
    for name in user_files:
        (tmp_path / name).write_text('not a snapshot')
    trainer = make_trainer(tmp_path, (3, 'iteration'))
    trainer.extend(extensions.snapshot(n_retains=1), trigger=(1, 'iteration'))
    trainer.run()
    assert sorted(os.listdir(tmp_path)) == sorted(user_files + ['snapshot_iter_3'])
    (tmp_path / 'snapshot_iter_README').touch()  # the newest file of the directory
    assert _find_latest_snapshot('snapshot_iter_{.updater.iteration}', str(tmp_path)) == \
        'snapshot_iter_3'
    resumed = make_trainer(tmp_path, (3, 'iteration'))
    resumed.extend(extensions.snapshot(autoload=True))
    resumed.get_extension('Snapshot').initialize(resumed)
    assert resumed.updater.iteration == 3


def test_template_fields_with_a_float_or_string_format(tmp_path):
    for name in ('e_1.50_a.npz', 'e_x_a.npz', 'e_2.00_b.npz', 'e_1.5'):
        (tmp_path / name).write_bytes(b'')
    found = [name for _, name in _find_snapshot_files('e_{.updater.epoch_detail:.2f}_{}.npz',
                                                       str(tmp_path))]
    assert sorted(found) == ['e_1.50_a.npz', 'e_2.00_b.npz']


def test_autoload_falls_back_to_the_newest_intact_snapshot(tmp_path):
    trainer = make_trainer(tmp_path, (3, 'iteration'))
    trainer.extend(extensions.snapshot(), trigger=(1, 'iteration'))
    trainer.run()
    (tmp_path / 'snapshot_iter_3').write_bytes(b'PK\x03\x04 truncated')
    resumed = make_trainer(tmp_path, (3, 'iteration'))
    resumed.extend(extensions.snapshot(autoload=True))
    with pytest.warns(UserWarning, match='snapshot_iter_3'):
        resumed.get_extension('Snapshot').initialize(resumed)
    assert resumed.updater.iteration == 2


def test_autoload_raises_when_no_snapshot_is_intact(tmp_path):
    for name in ('snapshot_iter_1', 'snapshot_iter_2'):
        (tmp_path / name).write_bytes(b'garbage')
    resumed = make_trainer(tmp_path, (3, 'iteration'))
    resumed.extend(extensions.snapshot(autoload=True))
    with warnings.catch_warnings(record=True) as caught, \
            pytest.raises(ValueError, match='snapshot_iter_2'):
        warnings.simplefilter('always')
        resumed.get_extension('Snapshot').initialize(resumed)
    assert [str(w.message).split("'")[1] for w in caught] == \
        [str(tmp_path / 'snapshot_iter_2'), str(tmp_path / 'snapshot_iter_1')]
    assert resumed.updater.iteration == 0


class DropoutClassifier(Chain):
    """:func:`make_model`'s linear layer on dropped-out inputs, so training draws random masks."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.linear = make_model().predictor

    def forward(self, x):
        return self.linear(F.dropout(x, 0.5))


def build_dropout_trainer(out, device, stop_iteration):
    model = L.Classifier(DropoutClassifier())
    model.to_device(device)
    optimizer = optimizers.SGD(lr=0.1)
    optimizer.setup(model)
    iterator = iterators.SerialIterator(make_dataset(), BATCH_SIZE, shuffle=False)
    updater = training.StandardUpdater(iterator, optimizer, device=device)
    trainer = training.Trainer(updater, (stop_iteration, 'iteration'), out=str(out))
    trainer.extend(extensions.snapshot(autoload=True), trigger=(1, 'iteration'))
    return trainer


def test_autoload_resumes_dropout_bit_identically(tmp_path, device):
    total, stop = 6, 3
    device.seed(123)
    uninterrupted = build_dropout_trainer(tmp_path / 'straight', device, total)
    uninterrupted.run()

    device.seed(123)
    build_dropout_trainer(tmp_path / 'interrupted', device, stop).run()
    device.seed(999)  # a new process draws from another stream until the snapshot is loaded
    resumed = build_dropout_trainer(tmp_path / 'interrupted', device, total)
    resumed.run()

    assert resumed.updater.iteration == total
    for path, array in parameters(uninterrupted).items():
        numpy.testing.assert_array_equal(parameters(resumed)[path], array, err_msg=path)


def test_snapshot_without_generator_states_still_loads(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'iteration'))
    trainer.extend(extensions.snapshot(), trigger=(1, 'iteration'))
    trainer.run()
    with numpy.load(tmp_path / 'snapshot_iter_2') as saved:
        entries = {key: saved[key] for key in saved.files if '/random/' not in key}
    assert len(entries) < len(numpy.load(tmp_path / 'snapshot_iter_2').files)
    numpy.savez(tmp_path / 'old.npz', **entries)
    resumed = make_trainer(tmp_path, (2, 'iteration'))
    resumed.extend(extensions.snapshot(), trigger=(1, 'iteration'))
    load_npz(str(tmp_path / 'old.npz'), resumed)
    assert resumed.updater.iteration == 2
