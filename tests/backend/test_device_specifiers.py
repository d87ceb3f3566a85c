"""``get_device``: the specifiers it accepts, the errors it raises, and caching."""

from __future__ import annotations

import importlib.util
import pickle

import numpy
import pytest

import polychain
from polychain.backend import BackendUnavailable, Device, list_backends


def test_numpy_specifier_gives_the_numpy_device():
    device = polychain.get_device('@numpy')
    assert isinstance(device, Device)
    assert str(device) == '@numpy'
    assert device.backend.name == 'numpy'


def test_devices_are_cached():
    assert polychain.get_device('@numpy') is polychain.get_device('@numpy')


def test_device_object_is_returned_as_it_is():
    device = polychain.get_device('@numpy')
    assert polychain.get_device(device) is device


def test_minus_one_is_numpy():
    assert polychain.get_device(-1) is polychain.get_device('@numpy')


def test_str_round_trips(device):
    assert polychain.get_device(str(device)) is device


def test_every_listed_device_round_trips():
    specs = [spec for info in list_backends() if info.available for spec in info.devices]
    assert '@numpy' in specs
    for spec in specs:
        assert str(polychain.get_device(spec)) == spec


def test_pickled_device_is_the_same_device(device):
    assert pickle.loads(pickle.dumps(device)) is device


@pytest.mark.parametrize('cupy_id', [0, 3])
def test_non_negative_integer_is_the_cupy_device(register_tagged, cupy_id):
    register_tagged('cupy', device_count=4)
    assert polychain.get_device(cupy_id) is polychain.get_device(f'@cupy:{cupy_id}')


@pytest.mark.skipif(importlib.util.find_spec('cupy') is not None, reason='cupy is installed')
def test_integer_without_cupy_says_why():
    with pytest.raises(BackendUnavailable, match=r"backend 'cupy' is unavailable: \S"):
        polychain.get_device(0)


@pytest.mark.parametrize('spec', ['numpy', 'cpu', 'native:0', ''])
def test_specifier_without_at_sign_is_chainerx_which_is_unavailable(spec):
    with pytest.raises(BackendUnavailable, match='ChainerX.*"@numpy"'):
        polychain.get_device(spec)


def test_bare_at_sign_is_rejected():
    with pytest.raises(ValueError, match='@numpy'):
        polychain.get_device('@')


@pytest.mark.parametrize('spec', ['-1', numpy.int64(-1), numpy.int32(-1)])
def test_chainer_integers_as_strings_and_numpy_integers(spec):
    assert polychain.get_device(spec) is polychain.get_device('@numpy')


def test_numpy_integer_and_string_give_the_cupy_device(register_tagged):
    register_tagged('cupy', device_count=2)
    assert polychain.get_device(numpy.int64(1)) is polychain.get_device('@cupy:1')
    assert polychain.get_device('1') is polychain.get_device('@cupy:1')


def test_intel64_is_unavailable_with_a_reason():
    with pytest.raises(BackendUnavailable, match='iDeep'):
        polychain.get_device('@intel64')


def test_unknown_backend_lists_the_installed_ones():
    with pytest.raises(ValueError, match='no_such_backend') as raised:
        polychain.get_device('@no_such_backend')
    assert 'numpy' in str(raised.value)


def test_numpy_has_a_single_device():
    with pytest.raises(ValueError, match='@numpy:1'):
        polychain.get_device('@numpy:1')


def test_integer_below_minus_one_is_rejected():
    with pytest.raises(ValueError, match='-2'):
        polychain.get_device(-2)


@pytest.mark.parametrize('spec', [None, 1.5, True, numpy.True_, ('@numpy',), b'@numpy'])
def test_specifier_of_another_type_is_a_type_error(spec):
    with pytest.raises(TypeError, match=type(spec).__name__):
        polychain.get_device(spec)
