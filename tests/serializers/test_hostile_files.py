"""Hostile files: entries larger than the target needs, or data outside the file, are refused
before anything is read, and the model stays as it was."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import numpy
import pytest
from numpy.lib import format as npy_format

from polychain import serializers

from .serializer_checks import SKIP_WITHOUT_H5PY, Model, assert_same_state, host_state

_MIB = 2 ** 20


def _model(device, lazy=False) -> Model:
    model = Model(lazy=lazy)
    model.to_device(device)
    return model


def _entries(model: Model, **replaced) -> dict:
    entries = dict(host_state(model))
    entries.update(replaced)
    return {key: value for key, value in entries.items() if value is not None}


def _npy_member(shape, dtype, data: bytes) -> bytes:
    """A .npy member whose header declares ``shape`` and ``dtype``, followed by ``data``."""
    stream = io.BytesIO()
    npy_format.write_array_header_1_0(stream, {'descr': npy_format.dtype_to_descr(
        numpy.dtype(dtype)), 'fortran_order': False, 'shape': shape})
    return stream.getvalue() + data


def _write_npz(path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, 'w', compression=zipfile.ZIP_DEFLATED) as archive:
        for key, content in members.items():
            archive.writestr(key + '.npy', content)


def _peak_while(load) -> tuple[int, BaseException]:
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as raised:
            load()
        return tracemalloc.get_traced_memory()[1], raised.value
    finally:
        tracemalloc.stop()


def test_an_npz_entry_larger_than_its_target_is_refused_before_it_is_read(device, tmp_path):
    model = _model(device)
    path = tmp_path / 'bomb.npz'
    numpy.savez_compressed(path, **_entries(model, **{'l1/W': numpy.zeros((64, _MIB // 16),
                                                                           'float32')}))
    assert path.stat().st_size < _MIB
    before = host_state(model)

    peak, error = _peak_while(lambda: serializers.load_npz(path, model))

    assert "'l1/W'" in str(error) and 'expected shape (4, 3), received shape (64, 65536)' \
        in str(error) and path.name in str(error)
    assert peak < 4 * _MIB
    assert_same_state(host_state(model), before)


@pytest.mark.parametrize('lazy', [False, True], ids=['initialised', 'lazy'])
def test_an_npz_entry_declaring_more_than_it_holds_is_refused(device, tmp_path, lazy):
    model = _model(device, lazy=lazy)
    path = tmp_path / 'liar.npz'
    members = {key: _npy_member(value.shape, value.dtype, value.tobytes())
               for key, value in ((k, numpy.asarray(v)) for k, v in _entries(model).items())
               if value.dtype.kind != 'U'}
    members['l2/W'] = _npy_member((2 ** 20, 2 ** 20), 'float32', b'\0' * 64)  # 4 TiB
    _write_npz(path, members)
    before = host_state(model)

    peak, error = _peak_while(lambda: serializers.load_npz(path, model, strict=False))

    assert "'l2/W'" in str(error) and path.name in str(error)
    assert peak < 4 * _MIB
    assert_same_state(host_state(model), before)


def test_an_npz_entry_holding_more_than_it_declares_is_refused(device, tmp_path):
    model = _model(device, lazy=True)
    path = tmp_path / 'padded.npz'
    _write_npz(path, {'l2/W': _npy_member((2, 4), 'float32', b'\0' * (32 + 64 * _MIB))})

    with pytest.raises(ValueError, match=r"'l2/W' from '.*padded.npz': it declares shape "
                                         r'\(2, 4\) of dtype float32 \(32 bytes\) but holds'):
        serializers.load_npz(path, model, strict=False)

    assert not model.l2.W.is_initialized


@SKIP_WITHOUT_H5PY
@pytest.mark.parametrize('kind', ['external link', 'external storage'])
def test_hdf5_data_outside_the_file_is_refused(device, tmp_path, kind):
    import h5py
    model = _model(device)
    outside = tmp_path / 'outside.h5'
    with h5py.File(outside, 'w') as file:
        file['W'] = numpy.full((4, 3), 7, 'float32')
    raw = tmp_path / 'outside.raw'
    raw.write_bytes(numpy.full((4, 3), 7, 'float32').tobytes())
    path = tmp_path / 'model.h5'
    serializers.save_hdf5(path, model)
    with h5py.File(path, 'a') as file:
        del file['l1/W']
        if kind == 'external link':
            file['l1/W'] = h5py.ExternalLink(str(outside), '/W')
        else:
            file.create_dataset('l1/W', (4, 3), 'float32', external=[(str(raw), 0, 48)])
    before = host_state(model)

    with pytest.raises(ValueError, match=r"'l1/W' in '.*model.h5'.* (links that leave the "
                                         r'file|data outside the file) (are|is) refused'):
        serializers.load_hdf5(path, model)

    assert_same_state(host_state(model), before)


@SKIP_WITHOUT_H5PY
def test_hdf5_soft_links_inside_the_file_load(device, tmp_path):
    import h5py
    saved = _model(device)
    saved.l1.W.array = saved.device.send(numpy.full((4, 3), 3, 'float32'))
    path = tmp_path / 'model.h5'
    serializers.save_hdf5(path, saved)
    with h5py.File(path, 'a') as file:
        file.move('l1/W', 'stored_W')
        file['l1/W'] = h5py.SoftLink('/stored_W')
    model = _model(device)

    serializers.load_hdf5(path, model)

    numpy.testing.assert_array_equal(host_state(model)['l1/W'], numpy.full((4, 3), 3))


@SKIP_WITHOUT_H5PY
def test_an_hdf5_dataset_larger_than_its_target_is_refused_before_it_is_read(device, tmp_path):
    import h5py
    model = _model(device)
    path = tmp_path / 'bomb.h5'
    serializers.save_hdf5(path, model)
    with h5py.File(path, 'a') as file:
        del file['l1/W']
        file.create_dataset('l1/W', (64, _MIB // 16), 'float32', compression='gzip',
                            fillvalue=0)
    before = host_state(model)

    peak, error = _peak_while(lambda: serializers.load_hdf5(path, model))

    assert 'expected shape (4, 3), received shape (64, 65536)' in str(error)
    assert peak < 4 * _MIB
    assert_same_state(host_state(model), before)
