"""A throw-away backend and a registry sandbox for tests of the backend boundary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import array_api_compat.numpy
import numpy
import pytest

from polychain.backend import Backend, Device, register_backend, registry


class TaggedArray(numpy.ndarray):
    """A NumPy array that remembers the index of the tagged device it lives on."""

    home: int = 0

    def __array_finalize__(self, parent: Any) -> None:
        self.home = getattr(parent, 'home', 0)


class TaggedBackend(Backend):
    """A backend with devices ``@<name>:0``, ``@<name>:1``, ... over :class:`TaggedArray`.

    Args:
        name: The name it is registered under.
        device_count: How many devices it has.
    """

    namespace = array_api_compat.numpy
    array_types = (TaggedArray,)

    def __init__(self, name: str, device_count: int = 2) -> None:
        self.name = name
        self.device_count = device_count
        self._devices = [Device(self, f'{name}:{i}', native=i) for i in range(device_count)]

    def devices(self) -> Sequence[Device]:
        return list(self._devices)

    def get_device(self, parts: Sequence[str]) -> Device:
        if not parts:
            return self._devices[0]
        if len(parts) == 1 and parts[0].isdigit() and int(parts[0]) < self.device_count:
            return self._devices[int(parts[0])]
        raise ValueError(f'{self.name}: expected "@{self.name}" or "@{self.name}:N" with '
                         f'N < {self.device_count}, received "@{self.name}:{":".join(parts)}"')

    def device_of(self, array: Any) -> Device:
        return self._devices[array.home]

    def from_host(self, array: numpy.ndarray, device: Device) -> TaggedArray:
        tagged = numpy.array(array).view(TaggedArray)
        tagged.home = device.native
        return tagged


@pytest.fixture
def isolated_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lets a test register and unregister backends without touching the real registry."""
    factories = dict(registry._discover())
    monkeypatch.setattr(registry, '_factories', factories)
    monkeypatch.setattr(registry, '_loaded', dict(registry._loaded))
    monkeypatch.setattr(registry, '_failures', dict(registry._failures))
    monkeypatch.setattr(registry, '_owner_by_type', {})


class CountingFactory:
    """A backend factory that counts how often the registry called it.

    Args:
        make: Builds the backend (or raises, to play an unusable one).
    """

    def __init__(self, make: Callable[[], Backend]) -> None:
        self.make = make
        self.calls = 0

    def __call__(self) -> Backend:
        self.calls += 1
        return self.make()


@pytest.fixture
def register_tagged(isolated_registry: None) -> Callable[..., CountingFactory]:
    """Registers a :class:`TaggedBackend` (name, device_count) and returns its factory."""
    def register(name: str, device_count: int = 2) -> CountingFactory:
        factory = CountingFactory(lambda: TaggedBackend(name, device_count))
        register_backend(name, factory)
        return factory
    return register
