"""Two backends listing one array type: refused at load, or owned by the higher priority.

Whichever of the two is asked for first, the outcome is the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import array_api_compat.numpy
import numpy
import pytest

import polychain
from polychain.backend import (
    Backend,
    BackendUnavailable,
    Device,
    get_backend,
    list_backends,
    register_backend,
    registry,
)


class OtherNumpyBackend(Backend):
    """A second backend on ``numpy.ndarray``, as a plugin wrapping NumPy would be."""

    name = 'othernumpy'
    namespace = array_api_compat.numpy
    xp = numpy
    array_types = (numpy.ndarray, numpy.generic)
    scalar_types = (numpy.generic,)

    def __init__(self) -> None:
        self._device = Device(self, 'othernumpy')

    def devices(self) -> Sequence[Device]:
        return [self._device]

    def get_device(self, parts: Sequence[str]) -> Device:
        return self._device

    def device_of(self, array: Any) -> Device:
        return self._device

    def from_host(self, array: numpy.ndarray, device: Device) -> numpy.ndarray:
        return numpy.array(array)


class OutrankingNumpyBackend(OtherNumpyBackend):
    array_type_priority = 1


@pytest.fixture
def fresh_registry(isolated_registry, monkeypatch):
    """The installed backends, none of them loaded yet."""
    monkeypatch.setattr(registry, '_loaded', {})
    monkeypatch.setattr(registry, '_failures', {})


def _load(order: str) -> None:
    """Asks for the devices in ``order``: ``'numpy first'`` or ``'plugin first'``."""
    specs = ['@numpy', '@othernumpy']
    for spec in specs if order == 'numpy first' else specs[::-1]:
        try:
            polychain.get_device(spec)
        except BackendUnavailable:
            pass


ORDERS = ['numpy first', 'plugin first', 'array first']


@pytest.mark.parametrize('order', ORDERS)
def test_same_priority_refuses_the_plugin_naming_both(fresh_registry, order):
    register_backend('othernumpy', OtherNumpyBackend)
    if order == 'array first':
        polychain.backend.get_device_from_array(numpy.zeros(1))
    _load(order)
    with pytest.raises(BackendUnavailable) as raised:
        polychain.get_device('@othernumpy')
    message = str(raised.value)
    assert "'othernumpy'" in message and "'numpy'" in message
    assert 'numpy.ndarray' in message and 'array_type_priority' in message
    assert polychain.backend.get_device_from_array(numpy.zeros(1)) is get_backend('numpy')\
        .devices()[0]
    info = next(info for info in list_backends() if info.name == 'othernumpy')
    assert not info.available and "'numpy'" in info.reason


@pytest.mark.parametrize('order', ORDERS)
def test_higher_priority_owns_the_type_whatever_the_order(fresh_registry, order):
    register_backend('othernumpy', OutrankingNumpyBackend)
    if order == 'array first':
        assert str(polychain.backend.get_device_from_array(numpy.zeros(1))) == '@numpy'
    _load(order)
    device = polychain.get_device('@othernumpy')
    assert polychain.get_device('@numpy').backend.name == 'numpy'
    for array in (numpy.zeros(3, 'f'), numpy.float32(1)):
        assert polychain.backend.get_device_from_array(array) is device
    x = polychain.Variable(numpy.arange(3, dtype='f')).to_device('@othernumpy')
    y = polychain.functions.tanh(x)
    assert y.device is device
    assert polychain.Variable(numpy.zeros(2, 'f')).device is device


def test_lower_priority_leaves_the_type_to_numpy(fresh_registry):
    class Deferring(OtherNumpyBackend):
        array_type_priority = -1

    register_backend('othernumpy', Deferring)
    assert str(polychain.get_device('@othernumpy')) == '@othernumpy'
    assert str(polychain.backend.get_device_from_array(numpy.zeros(1))) == '@numpy'
