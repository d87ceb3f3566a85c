"""A Trainer snapshot that fails to load leaves the whole trainer as it was."""

from __future__ import annotations

import importlib.util
import json
from typing import Any

import numpy
import pytest

from polychain import iterators, optimizers, serializers, training
from polychain.serializers.npz import serialize
from polychain.training import extensions, triggers

from .training_setup import BATCH_SIZE, make_dataset, make_model

SKIP_WITHOUT_H5PY = pytest.mark.skipif(importlib.util.find_spec('h5py') is None,
                                       reason='h5py is not installed')


def _trainer(out: Any, device: Any, iterations: int) -> training.Trainer:
    model = make_model()
    model.to_device(device)
    optimizer = optimizers.SGD(lr=0.1)
    optimizer.setup(model)
    iterator = iterators.SerialIterator(make_dataset(), BATCH_SIZE, shuffle=True)
    updater = training.StandardUpdater(iterator, optimizer, device=device)
    trainer = training.Trainer(updater, (iterations, "iteration"), out=str(out))
    trainer.extend(extensions.LogReport(trigger=(1, 'iteration')))
    trainer.extend(extensions.ExponentialShift('lr', 0.5), trigger=(1, 'iteration'))
    trainer.extend(extensions.snapshot(), trigger=triggers.MinValueTrigger(
        'main/loss', trigger=(1, 'iteration')))
    return trainer


def _state(trainer: training.Trainer) -> dict[str, Any]:
    """Everything a snapshot holds, as host values, and what loading may set besides."""
    state = serialize(trainer)
    optimizer = trainer.updater.get_optimizer('main')
    state['<lr>'] = numpy.asarray(optimizer.lr)
    state['<log>'] = numpy.asarray(json.dumps(trainer.get_extension('LogReport').log))
    return state


def _assert_same(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    assert actual.keys() == expected.keys()
    for key, value in expected.items():
        assert actual[key].dtype == value.dtype, key
        numpy.testing.assert_array_equal(actual[key], value, err_msg=key)


def _snapshot(tmp_path: Any, device: Any, file_format: str = 'npz', **replaced: Any) -> Any:
    """A snapshot of a trainer run for 3 iterations, with entries replaced."""
    trainer = _trainer(tmp_path / 'saved', device, 3)
    trainer.run()
    entries = serialize(trainer)
    assert replaced.keys() <= entries.keys()
    entries.update(replaced)
    if file_format == 'npz':
        path = tmp_path / 'snapshot.npz'
        numpy.savez(path, **entries)
    else:
        path = tmp_path / 'snapshot.h5'
        serializers.save_hdf5(path, {key: None if value.dtype.hasobject else value
                                     for key, value in entries.items()})
    return path


def _load(path: Any, trainer: training.Trainer) -> None:
    load = serializers.load_npz if path.suffix == '.npz' else serializers.load_hdf5
    load(path, trainer)


@pytest.mark.parametrize('key, value, error', [
    ('extensions/LogReport/_log', numpy.asarray('[{"main/loss": 0.5'), ValueError),
    ('extensions/LogReport/_log', numpy.asarray('7'), ValueError),
    ('extensions/LogReport/_summary/_names', numpy.asarray('["main/loss"'), ValueError),
    ('extensions/ExponentialShift/_last_value', numpy.arange(3.0), ValueError),
    ('extensions/ExponentialShift/_last_value', numpy.asarray('fast'), ValueError),
    ('extensions/Snapshot/trigger/best_value', numpy.asarray('low'), ValueError),
    ('extensions/Snapshot/trigger/best_value', numpy.ones((2, 2)), ValueError),
])
@pytest.mark.parametrize('resumed', ['fresh', 'trained'])
@pytest.mark.parametrize('file_format', ['npz', pytest.param('hdf5', marks=SKIP_WITHOUT_H5PY)])
def test_a_bad_entry_late_in_the_snapshot_changes_nothing(device, tmp_path, key, value, error,
                                                          resumed, file_format):
    path = _snapshot(tmp_path, device, file_format, **{key: value})
    trainer = _trainer(tmp_path / 'resumed', device, 5)
    if resumed == 'trained':
        trainer.run()
    before = _state(trainer)

    with pytest.raises(error, match=key):
        _load(path, trainer)

    _assert_same(_state(trainer), before)


def test_an_intact_snapshot_still_loads(device, tmp_path):
    path = _snapshot(tmp_path, device)
    trainer = _trainer(tmp_path / 'resumed', device, 5)
    serializers.load_npz(path, trainer)
    assert trainer.updater.iteration == 3
    assert len(trainer.get_extension('LogReport').log) == 3


@pytest.mark.filterwarnings('ignore::UserWarning')
@pytest.mark.parametrize('missing', ['extensions/LogReport/_summary/_names',
                                     'stop_trigger/previous_iteration'])
def test_a_snapshot_of_an_older_version_changes_nothing_when_a_later_entry_fails(
        device, tmp_path, missing):
    path = _snapshot(tmp_path, device, **{'extensions/LogReport/_log': numpy.asarray('[')})
    entries = dict(numpy.load(path))
    del entries[missing]  # as saved by an older version
    numpy.savez(path, **entries)
    trainer = _trainer(tmp_path / 'resumed', device, 5)
    trainer.run()
    trainer.get_extension('LogReport')._summary.add({'main/loss': 2.0})
    before = _state(trainer)

    with pytest.raises(ValueError, match='_log'):
        serializers.load_npz(path, trainer)

    _assert_same(_state(trainer), before)


@pytest.mark.parametrize('resumed', ['fresh', 'trained'])
def test_a_missing_optimizer_state_entry_changes_nothing(device, tmp_path, resumed):
    def adam_trainer(out: Any, iterations: int) -> training.Trainer:
        model = make_model()
        model.to_device(device)
        optimizer = optimizers.Adam()
        optimizer.setup(model)
        iterator = iterators.SerialIterator(make_dataset(), BATCH_SIZE, shuffle=True)
        updater = training.StandardUpdater(iterator, optimizer, device=device)
        return training.Trainer(updater, (iterations, 'iteration'), out=str(out))

    saved = adam_trainer(tmp_path / 'saved', 3)
    saved.run()
    entries = serialize(saved)
    del entries['updater/optimizer:main/predictor/W/v']
    path = tmp_path / 'snapshot.npz'
    numpy.savez(path, **entries)
    trainer = adam_trainer(tmp_path / 'resumed', 5)
    if resumed == 'trained':
        trainer.run()
    before = serialize(trainer)

    with pytest.raises(KeyError, match='predictor/W/v'):
        serializers.load_npz(path, trainer)

    _assert_same(serialize(trainer), before)
