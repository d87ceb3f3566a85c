"""``device.xp`` for libraries whose module has no NumPy-style ``random`` of its own."""

from __future__ import annotations

import types
from typing import Any

from polychain.backend.random import NumpyRandom


class DeviceModule(types.ModuleType):
    """An array library's module tied to one device, with NumPy's ``random`` API.

    Every attribute is the library module's (``xp.asarray`` is
    ``jax.numpy.asarray``), except ``random``, a :class:`NumpyRandom` drawing
    from the device's generator, and the ``extras`` given. Chainer code such as
    ``xp.random.uniform(-1, 1, shape)`` then runs unchanged on the device.

    Args:
        module: The library's module (e.g. ``jax.numpy``).
        device: The :class:`~polychain.backend.Device` whose generator ``random`` draws from.
        extras: Attributes the library module lacks, by name (e.g. ``testing``).
    """

    def __init__(self, module: types.ModuleType, device: Any, **extras: Any) -> None:
        super().__init__(module.__name__, module.__doc__)
        self.__dict__.update(extras)
        self.random = NumpyRandom(device)
        self._module = module

    def __getattr__(self, name: str) -> Any:
        if name == '_module':  # not set yet (copy, pickle)
            raise AttributeError(name)
        value = getattr(self._module, name)
        self.__dict__[name] = value  # the next lookup finds it without this method
        return value

    def __dir__(self) -> list[str]:
        return sorted(set(dir(self._module)) | set(self.__dict__))

    def __repr__(self) -> str:
        return f'<module {self.__name__!r} on {self.random.device}>'
