"""Deserializers fed damaged and hostile files (issue: a failed load changes nothing).

Each case saves a small model on the device, damages the file (truncated,
an entry larger than the target or declaring more than it holds, a wrong
dtype or rank, Python objects, data outside the file) and loads it back
into a model on the device: the load must raise and leave the model as it
was (:func:`unchanged`). Chainer's error types are the reference
(``ValueError`` for what cannot be read or does not fit).
"""

from __future__ import annotations

import importlib.util
import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from typing import Any

import numpy
from numpy.lib import format as npy_format

import polychain
import polychain.links as L
from polychain import serializers
from polychain.backend import Device
from polychain_conformance.bad_inputs.registry import bad_input, unchanged

_HAVE_H5PY = importlib.util.find_spec('h5py') is not None
_DTYPES = ('float32', 'float64')


class _Model(polychain.Chain):
    """A fixed layer and a lazy one."""

    def __init__(self, dtype: str) -> None:
        super().__init__()
        with self.init_scope():
            self.fixed = L.Linear(3, 4, initialW=numpy.full((4, 3), 0.5, dtype))
            self.lazy = L.Linear(None, 2)


def _model(device: Device, dtype: str) -> _Model:
    return _Model(dtype).to_device(device)


def _entries(device: Device, dtype: str, **replaced: Any) -> dict[str, numpy.ndarray]:
    """The entries of a saved model, with some replaced (those set to ``None`` left out)."""
    entries = dict(serializers.npz.serialize(_model(device, dtype)))
    entries['lazy/W'] = numpy.ones((2, 5), dtype)
    entries.update(replaced)
    return {key: value for key, value in entries.items() if value is not None}


def _npy(shape: tuple[int, ...], dtype: str, data: bytes) -> bytes:
    """A .npy member declaring ``shape`` and ``dtype``, followed by ``data``."""
    stream = io.BytesIO()
    npy_format.write_array_header_1_0(stream, {'descr': npy_format.dtype_to_descr(
        numpy.dtype(dtype)), 'fortran_order': False, 'shape': shape})
    return stream.getvalue() + data


def _load_damaged_npz(device: Device, dtype: str, damage: Callable[[str, dict], None],
                      **load_args: Any) -> None:
    """Writes the model's entries through ``damage(path, entries)`` and loads them back."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, 'model.npz')
        damage(path, _entries(device, dtype))
        model = _model(device, dtype)
        with unchanged(model):
            serializers.load_npz(path, model, **load_args)


def _savez_with(**replaced: Any) -> Callable[[str, dict], None]:
    def damage(path: str, entries: dict) -> None:
        entries.update(replaced)
        numpy.savez(path, **entries)
    return damage


def _truncated_file(path: str, entries: dict) -> None:
    numpy.savez_compressed(path, **entries)
    with open(path, 'rb') as file:
        content = file.read()
    with open(path, 'wb') as file:
        file.write(content[:len(content) // 2])


def _zip_with(key: str, member: bytes) -> Callable[[str, dict], None]:
    def damage(path: str, entries: dict) -> None:
        with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as archive:
            for name, value in entries.items():
                stream = io.BytesIO()
                numpy.save(stream, value)
                archive.writestr(name + '.npy', member if name == key else stream.getvalue())
    return damage


def _npz_case(what: str, kind: str, damage: Callable[[str, dict], None] | None = None,
              make_damage: Callable[[str], Callable[[str, dict], None]] | None = None,
              **load_args: Any) -> None:
    """Registers ``load_npz[what]``; ``make_damage(dtype)`` builds a dtype-dependent damage."""
    @bad_input(f'load_npz[{what}]', 'serializers.load_npz', ValueError, kind, _DTYPES)
    def _(device: Device, dtype: str) -> None:
        _load_damaged_npz(device, dtype, damage or make_damage(dtype), **load_args)


_npz_case('truncated file', 'truncated', _truncated_file)
_npz_case('truncated entry', 'truncated', make_damage=lambda dtype: _zip_with(
    'fixed/W', _npy((4, 3), dtype, b'\0' * 8)))
_npz_case('entry larger than the target', 'oversized', make_damage=lambda dtype: _savez_with(
    **{'fixed/W': numpy.zeros((4096, 3), dtype)}))
_npz_case('entry declaring 4 TiB', 'oversized', make_damage=lambda dtype: _zip_with(
    'lazy/W', _npy((2 ** 20, 2 ** 20), dtype, b'\0' * 64)))
_npz_case('string entry', 'wrong dtype', _savez_with(**{'fixed/W': numpy.full((4, 3), '1')}))
_npz_case('complex entry', 'wrong dtype', _savez_with(
    **{'fixed/W': numpy.zeros((4, 3), 'complex64')}))
_npz_case('datetime entry of a lazy layer', 'wrong dtype', _savez_with(
    **{'lazy/W': numpy.zeros((2, 5), 'datetime64[s]')}))
_npz_case('wrong rank for a lazy layer', 'wrong rank', make_damage=lambda dtype: _savez_with(
    **{'lazy/W': numpy.zeros((2, 5, 7), dtype)}))
_npz_case('wrong rank', 'wrong rank', make_damage=lambda dtype: _savez_with(
    **{'fixed/W': numpy.zeros((4, 3, 1), dtype)}))
_npz_case('object array entry', 'object entries', _savez_with(
    **{'fixed/b': numpy.array([None, 1, 'x', None], dtype=object)}))
_npz_case('None under an initialised parameter', 'object entries', _savez_with(
    **{'fixed/W': numpy.array(None, dtype=object)}), strict=True)


@bad_input('Trainer load[invalid LogReport JSON]', 'serializers.load_npz', ValueError,
           'wrong dtype')
def _(device: Device, dtype: str) -> None:
    from polychain import iterators, optimizers, training
    from polychain.training import extensions

    def trainer(out: str) -> training.Trainer:
        model = L.Classifier(_Model(dtype).fixed).to_device(device)
        optimizer = optimizers.SGD()
        optimizer.setup(model)
        x = numpy.linspace(-1, 1, 12).reshape(4, 3).astype(dtype)
        data = iterators.SerialIterator(list(zip(x, numpy.array([0, 1, 2, 3], 'int32'))), 2)
        result = training.Trainer(training.StandardUpdater(data, optimizer, device=device),
                                  (2, 'iteration'), out=out)
        result.extend(extensions.LogReport(trigger=(1, 'iteration')))
        return result

    with tempfile.TemporaryDirectory() as directory:
        saved = trainer(directory)
        saved.run()
        entries = dict(serializers.npz.serialize(saved))
        entries['extensions/LogReport/_log'] = numpy.asarray('[{"main/loss": 0.5')
        path = os.path.join(directory, 'snapshot.npz')
        numpy.savez(path, **entries)
        resumed = trainer(directory)
        with unchanged(resumed.updater.get_optimizer('main').target):
            serializers.load_npz(path, resumed)


if _HAVE_H5PY:
    def _load_damaged_hdf5(device: Device, dtype: str, damage: Callable[[Any, str], None],
                           **load_args: Any) -> None:
        """Saves the model, lets ``damage(file, directory)`` edit it, and loads it back."""
        import h5py
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, 'model.h5')
            saved = _model(device, dtype)
            saved.lazy.W.initialize((2, 5))
            serializers.save_hdf5(path, saved)
            with h5py.File(path, 'a') as file:
                damage(file, directory)
            model = _model(device, dtype)
            with unchanged(model):
                serializers.load_hdf5(path, model, **load_args)

    def _replace(key: str, make: Callable[[str], Any]) -> Callable[[str], Callable]:
        def for_dtype(dtype: str) -> Callable[[Any, str], None]:
            def damage(file: Any, directory: str) -> None:
                del file[key]
                file[key] = make(dtype)
            return damage
        return for_dtype

    def _truncated_hdf5(dtype: str) -> Callable[[Any, str], None]:
        def damage(file: Any, directory: str) -> None:
            file.flush()
            file.close()
            path = os.path.join(directory, 'model.h5')
            with open(path, 'rb') as stream:
                content = stream.read()
            with open(path, 'wb') as stream:
                stream.write(content[:len(content) // 2])
        return damage

    def _external_link(dtype: str) -> Callable[[Any, str], None]:
        def damage(file: Any, directory: str) -> None:
            import h5py
            outside = os.path.join(directory, 'outside.h5')
            with h5py.File(outside, 'w') as other:
                other['W'] = numpy.ones((4, 3), dtype)
            del file['fixed/W']
            file['fixed/W'] = h5py.ExternalLink(outside, '/W')
        return damage

    def _hdf5_case(what: str, kind: str, make_damage: Callable[[str], Callable],
                   **load_args: Any) -> None:
        @bad_input(f'load_hdf5[{what}]', 'serializers.load_hdf5', ValueError, kind, _DTYPES)
        def _(device: Device, dtype: str) -> None:
            _load_damaged_hdf5(device, dtype, make_damage(dtype), **load_args)

    _hdf5_case('truncated file', 'truncated', _truncated_hdf5)
    _hdf5_case('dataset larger than the target', 'oversized', _replace(
        'fixed/W', lambda dtype: numpy.zeros((4096, 3), dtype)))
    _hdf5_case('string dataset', 'wrong dtype', _replace(
        'fixed/W', lambda dtype: numpy.full((4, 3), b'1')))
    _hdf5_case('complex dataset', 'wrong dtype', _replace(
        'fixed/W', lambda dtype: numpy.zeros((4, 3), 'complex64')))
    _hdf5_case('wrong rank for a lazy layer', 'wrong rank', _replace(
        'lazy/W', lambda dtype: numpy.zeros((2, 5, 7), dtype)))
    _hdf5_case('external link', 'data outside the file', _external_link)
    _hdf5_case('None under an initialised parameter', 'object entries', _replace(
        'fixed/W', lambda dtype: __import__('h5py').Empty('f')), strict=True)
