"""What a parameter loads: real numbers of the link's rank, never strings, dates, complex
numbers or Python objects, each refused with an error naming the key and the file."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.links as L
from polychain import serializers

from .serializer_checks import assert_same_state, host_state


def _write(path, file_format, entries) -> None:
    if file_format.suffix == '.npz':
        numpy.savez(path, **entries)
        return
    import h5py
    with h5py.File(path, 'w') as file:
        serializer = serializers.HDF5Serializer(file)
        for key, value in entries.items():
            serializer(key, value)


def _load(path, file_format, link, **kwargs) -> None:
    load = serializers.load_npz if file_format.suffix == '.npz' else serializers.load_hdf5
    load(path, link, **kwargs)


def _skip_unstorable(file_format, value) -> None:
    if file_format.suffix == '.h5' and getattr(value, 'dtype', None) is not None and \
            value.dtype.kind in 'MO':
        pytest.skip('HDF5 stores no dates or Python objects')


@pytest.mark.parametrize('w, message', [
    (numpy.zeros((4, 7, 2), 'float32'), r'expected a shape like \(4, \*\)'),
    (numpy.zeros((3, 7), 'float32'), r'expected a shape like \(4, \*\)'),
    (numpy.full((4, 2), '1'), 'expected real numbers for a parameter, received an entry of '
                              'dtype <U1'),
    (numpy.zeros((4, 2), 'datetime64[s]'), 'expected real numbers'),
    (numpy.zeros((4, 2), 'complex64'), 'expected real numbers'),
], ids=['rank', 'out_size', 'string', 'datetime', 'complex'])
def test_a_lazy_linear_refuses_what_it_cannot_hold(device, file_format, tmp_path, w, message):
    _skip_unstorable(file_format, w)
    path = tmp_path / f'w{file_format.suffix}'
    _write(path, file_format, {'W': w, 'b': numpy.zeros(4, 'float32')})
    link = L.Linear(None, 4).to_device(device)
    before = host_state(link)

    with pytest.raises(ValueError, match=rf"'W' from '.*{path.name}': {message}"):
        _load(path, file_format, link)

    assert not link.W.is_initialized
    assert_same_state(host_state(link), before)


def test_a_lazy_linear_loads_a_weight_of_any_input_size(device, file_format, tmp_path):
    path = tmp_path / f'w{file_format.suffix}'
    w = numpy.arange(28, dtype='float32').reshape(4, 7)
    _write(path, file_format, {'W': w, 'b': numpy.zeros(4, 'float32')})
    link = L.Linear(None, 4).to_device(device)

    _load(path, file_format, link)

    numpy.testing.assert_array_equal(host_state(link)['W'], w)


def test_a_lazy_convolution_checks_rank_and_kernel(device, file_format, tmp_path):
    path = tmp_path / f'w{file_format.suffix}'
    _write(path, file_format, {'W': numpy.zeros((4, 2, 3), 'float32'),
                               'b': numpy.zeros(4, 'float32')})
    link = L.Convolution2D(None, 4, 3).to_device(device)

    with pytest.raises(ValueError, match=r"'W' from .*: expected a shape like \(4, \*, 3, 3\)"):
        _load(path, file_format, link)

    assert not link.W.is_initialized


@pytest.mark.parametrize('w', [numpy.full((4, 3), '1'), numpy.zeros((4, 3), 'datetime64[s]'),
                               numpy.zeros((4, 3), 'complex64')],
                         ids=['string', 'datetime', 'complex'])
def test_an_initialised_parameter_refuses_entries_that_are_not_real_numbers(
        device, file_format, tmp_path, w):
    _skip_unstorable(file_format, w)
    path = tmp_path / f'w{file_format.suffix}'
    _write(path, file_format, {'W': w, 'b': numpy.zeros(4, 'float32')})
    link = L.Linear(3, 4).to_device(device)
    before = host_state(link)

    with pytest.raises(ValueError, match=rf"'W' from '.*{path.name}': expected real numbers"):
        _load(path, file_format, link)

    assert_same_state(host_state(link), before)


@pytest.mark.parametrize('strict', [True, False])
def test_none_under_an_initialised_parameter_is_an_error_when_strict(device, file_format,
                                                                     tmp_path, strict):
    path = tmp_path / f'w{file_format.suffix}'
    _write(path, file_format, {'W': None, 'b': numpy.zeros(4, 'float32')})
    link = L.Linear(3, 4).to_device(device)
    before = host_state(link)

    if strict:
        with pytest.raises(ValueError, match=rf"'W' from '.*{path.name}': expected an array "
                                             r'for an initialised parameter, received None'):
            _load(path, file_format, link, strict=True)
    else:
        _load(path, file_format, link, strict=False)

    assert_same_state(host_state(link), before)


def test_a_loaded_parameter_is_used_by_the_link(device, tmp_path):
    path = tmp_path / 'w.npz'
    numpy.savez(path, W=numpy.ones((2, 3), 'float32'), b=numpy.zeros(2, 'float32'))
    link = L.Linear(None, 2).to_device(device)
    serializers.load_npz(path, link)

    y = link(device.send(numpy.ones((1, 3), 'float32')))

    numpy.testing.assert_array_equal(polychain.backend.to_host(y.array), [[3., 3.]])
