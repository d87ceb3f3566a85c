"""Registering backends by hand: lazy loading, listing, and unusable backends."""

from __future__ import annotations

import importlib

import pytest

import polychain
from polychain.backend import (
    BackendUnavailable,
    backend_names,
    get_backend,
    list_backends,
    register_backend,
    unregister_backend,
)


def _info(name):
    return next(info for info in list_backends() if info.name == name)


def test_numpy_is_registered_through_its_entry_point():
    assert 'numpy' in backend_names()
    assert _info('numpy').available
    assert _info('numpy').devices == ['@numpy']


def test_registered_backend_is_loaded_on_first_use_only(register_tagged):
    factory = register_tagged('tagged')
    assert 'tagged' in backend_names()
    assert factory.calls == 0

    device = polychain.get_device('@tagged:1')
    assert factory.calls == 1
    assert str(device) == '@tagged:1'
    assert polychain.get_device('@tagged') is get_backend('tagged').devices()[0]
    assert factory.calls == 1


def test_listing_shows_a_registered_backend_and_its_devices(register_tagged):
    register_tagged('tagged', device_count=3)
    info = _info('tagged')
    assert info.available
    assert info.devices == ['@tagged:0', '@tagged:1', '@tagged:2']
    assert info.description.startswith('tagged')


def test_backend_rejects_its_own_bad_specifiers(register_tagged):
    register_tagged('tagged')
    with pytest.raises(ValueError, match='@tagged:5'):
        polychain.get_device('@tagged:5')


def test_unregistered_backend_is_gone(register_tagged):
    register_tagged('tagged')
    polychain.get_device('@tagged')
    unregister_backend('tagged')
    assert 'tagged' not in backend_names()
    assert 'tagged' not in [info.name for info in list_backends()]
    with pytest.raises(ValueError, match='unknown backend'):
        polychain.get_device('@tagged')


def test_registering_again_replaces_the_loaded_backend(register_tagged):
    first = register_tagged('tagged')
    old = polychain.get_device('@tagged')
    second = register_tagged('tagged')
    new = polychain.get_device('@tagged')
    assert (first.calls, second.calls) == (1, 1)
    assert new is not old


def _no_accelerator():
    raise BackendUnavailable('no accelerator was found')


def _missing_library():
    importlib.import_module('polychain_test_library_that_does_not_exist')


@pytest.mark.parametrize('factory, reason', [
    (_no_accelerator, 'no accelerator was found'),
    (_missing_library, 'polychain_test_library_that_does_not_exist is not installed'),
])
def test_unusable_backend_is_reported_with_its_reason(isolated_registry, factory, reason):
    register_backend('broken', factory)
    for _ in range(2):
        with pytest.raises(BackendUnavailable, match=reason) as raised:
            polychain.get_device('@broken')
        assert "'broken'" in str(raised.value)
    info = _info('broken')
    assert not info.available
    assert reason in info.reason
    assert info.devices == []


def test_unusable_backend_does_not_hide_the_others(isolated_registry):
    register_backend('broken', _no_accelerator)
    assert _info('numpy').available
    assert polychain.get_device('@numpy').backend.name == 'numpy'
