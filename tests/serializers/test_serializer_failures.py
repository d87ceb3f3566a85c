"""Failed saves keep the old file; failed loads raise a clear error and change nothing."""

from __future__ import annotations

import io
import signal
import sys
import zipfile

import numpy
import pytest

import polychain
from polychain import serializers

from .serializer_checks import SKIP_WITHOUT_H5PY, Model, assert_same_state, host_state


class FailingLink(polychain.Link):
    """A link whose ``serialize`` fails after recording one value."""

    def serialize(self, serializer):
        serializer('first', numpy.zeros(3))
        raise RuntimeError('serialize failed')


def test_missing_key_names_the_file_and_key_and_changes_nothing(file_format, trained_model,
                                                                tmp_path):
    path = tmp_path / f'partial{file_format.suffix}'
    trained_model.l2 = None
    file_format.save(path, trained_model)
    model = Model(lazy=True)
    before = host_state(model)

    with pytest.raises(KeyError, match=rf"{path.name}' has no entry 'l2/W'"):
        file_format.load(path, model)

    assert_same_state(host_state(model), before)
    assert not model.l2.W.is_initialized


def test_shape_mismatch_names_the_file_and_key_and_changes_nothing(file_format, tmp_path):
    wide = Model()
    with wide.init_scope():
        wide.l2 = polychain.links.Linear(4, 5)
    path = tmp_path / f'wide{file_format.suffix}'
    file_format.save(path, wide)
    model = Model()
    before = host_state(model)

    with pytest.raises(ValueError, match=rf"'l2/W' from '.*{path.name}': expected shape "
                                         r'\(2, 4\), received shape \(5, 4\)'):
        file_format.load(path, model)

    assert_same_state(host_state(model), before)


def test_truncated_file_is_reported_and_changes_nothing(file_format, trained_model, tmp_path):
    path = tmp_path / f'truncated{file_format.suffix}'
    file_format.save(path, trained_model)
    content = path.read_bytes()
    path.write_bytes(content[:len(content) // 2])
    model = Model()
    before = host_state(model)

    with pytest.raises(ValueError, match=rf"cannot read '.*{path.name}' as an"):
        file_format.load(path, model)

    assert_same_state(host_state(model), before)


def test_truncated_npz_entry_names_the_file_and_key_and_changes_nothing(trained_model, tmp_path):
    saved = io.BytesIO()
    numpy.savez(saved, **{'l2/W': numpy.zeros((2, 4), dtype='float32')})
    path = tmp_path / 'damaged.npz'
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, 'w') as damaged:
        damaged.writestr('l2/W.npy', source.read('l2/W.npy')[:-8])
    model = Model()
    before = host_state(model)

    with pytest.raises(ValueError, match=rf"cannot read 'l2/W' from '.*{path.name}'"):
        serializers.load_npz(path, model, path='', strict=False)

    assert_same_state(host_state(model), before)


def test_non_npz_file_is_rejected_without_unpickling(tmp_path):
    path = tmp_path / 'model.npz'
    path.write_bytes(b'\x80\x04not an archive')

    with pytest.raises(ValueError, match=r"load_npz: cannot read '.*model.npz' as an NPZ file"):
        serializers.load_npz(path, Model())


def test_failed_npz_write_keeps_the_old_file(trained_model, monkeypatch, tmp_path):
    path = tmp_path / 'model.npz'
    serializers.save_npz(path, trained_model)
    old = path.read_bytes()

    def write_part_then_fail(file, **arrays):
        file.write(b'partial')
        raise OSError('disk full')

    monkeypatch.setattr(numpy, 'savez', write_part_then_fail)
    with pytest.raises(OSError, match='disk full'):
        serializers.save_npz(path, Model(), compression=False)

    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ['model.npz']


@pytest.fixture
def python_sigint_handler():
    """Python's own SIGINT handler (KeyboardInterrupt), whatever the test runner installed."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _savez_interrupted(times: int):
    """``numpy.savez`` that receives ``times`` Ctrl-Cs halfway through writing."""
    savez = numpy.savez

    def write_with_interrupts(file, **arrays):
        for _ in range(times):
            signal.raise_signal(signal.SIGINT)
        savez(file, **arrays)
    return write_with_interrupts


def test_ctrl_c_during_a_save_finishes_the_file_then_interrupts(
        trained_model, monkeypatch, tmp_path, python_sigint_handler):
    path = tmp_path / 'model.npz'
    monkeypatch.setattr(numpy, 'savez', _savez_interrupted(1))
    with pytest.raises(KeyboardInterrupt):
        serializers.save_npz(path, trained_model, compression=False)

    model = Model()
    serializers.load_npz(path, model)
    assert_same_state(host_state(model), host_state(trained_model))
    assert [p.name for p in tmp_path.iterdir()] == ['model.npz']
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_second_ctrl_c_during_a_save_interrupts_at_once_and_keeps_the_old_file(
        trained_model, monkeypatch, tmp_path, python_sigint_handler):
    path = tmp_path / 'model.npz'
    serializers.save_npz(path, trained_model)
    old = path.read_bytes()
    monkeypatch.setattr(numpy, 'savez', _savez_interrupted(2))
    with pytest.raises(KeyboardInterrupt):
        serializers.save_npz(path, Model(), compression=False)

    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ['model.npz']
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_failed_serialize_keeps_the_old_file(file_format, trained_model, tmp_path):
    path = tmp_path / f'model{file_format.suffix}'
    file_format.save(path, trained_model)
    old = path.read_bytes()

    with pytest.raises(RuntimeError, match='serialize failed'):
        file_format.save(path, FailingLink())

    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@SKIP_WITHOUT_H5PY
def test_hdf5_entry_that_is_a_group_names_the_file_and_key(tmp_path):
    path = tmp_path / 'model.h5'
    serializers.save_hdf5(path, polychain.Chain(W=polychain.links.Linear(3, 2)))

    with pytest.raises(ValueError, match=rf"cannot read 'W' from '.*{path.name}': expected a "
                                         'dataset'):
        serializers.load_hdf5(path, polychain.links.Linear(3, 2))


def test_hdf5_without_h5py_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, 'h5py', None)

    with pytest.raises(RuntimeError, match=r"need h5py.*pip install 'polychain\[hdf5\]'"):
        serializers.save_hdf5(tmp_path / 'model.h5', Model())
    assert not (tmp_path / 'model.h5').exists()
