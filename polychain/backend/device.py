"""The user-facing handle of one device of one backend."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, ClassVar

from polychain.backend.random import host_seed, register_generator


class Device:
    """One device of a backend, such as ``@numpy`` or ``@jax:gpu:0``.

    Devices are created by their backend and cached, so two lookups of the same
    specifier give the same object and can be compared with ``is``.

    Args:
        backend: The :class:`~polychain.backend.Backend` that owns the device.
        spec: Its specifier without the leading ``@`` (``'numpy'``, ``'jax:cpu:0'``).
        native: The array library's own device object, if it has one.
    """

    __slots__ = ('backend', 'namespace', 'xp', 'scalar_types', 'native', '_spec', '_generator')

    #: The device of a specifier, which loading a pickled device calls: the registry's
    #: ``get_device``, set by :mod:`polychain.backend.registry` (which sits above this module).
    lookup: ClassVar[Callable[[str], Device]]

    def __init__(self, backend: Any, spec: str, native: Any = None) -> None:
        self.backend = backend
        #: The backend's Array API namespace, which polychain computes with.
        self.namespace = backend.namespace
        #: The backend's types of 0-d results that become arrays (a copy, read on the hot path).
        self.scalar_types = backend.scalar_types
        self.native = native
        self._spec = '@' + spec
        self._generator = None
        #: The array library's own module (``numpy``, ``cupy``, ``jax.numpy`` with a
        #: NumPy-style ``random`` drawing from this device's generator), as in Chainer.
        self.xp = backend.array_module(self)

    @property
    def name(self) -> str:
        """The device specifier, e.g. ``'@numpy'``."""
        return self._spec

    def __str__(self) -> str:
        return self._spec

    def __repr__(self) -> str:
        return f'<Device {self}>'

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Device) and other._spec == self._spec

    def __hash__(self) -> int:
        return hash(self._spec)

    def __reduce__(self):
        return Device.lookup, (self._spec,)

    def send(self, arrays: Any) -> Any:
        """Moves an array, or nested tuples/lists/dicts of arrays, to this device.

        Arrays already on this device are returned as they are; ``None`` and
        Python scalars pass through unchanged.
        """
        if isinstance(arrays, (tuple, list)):
            return type(arrays)(self.send(a) for a in arrays)
        if isinstance(arrays, dict):
            return {k: self.send(v) for k, v in arrays.items()}
        if arrays is None or type(arrays) in (bool, int, float, complex):
            return arrays
        return self.send_array(arrays)

    def send_array(self, array: Any) -> Any:
        """Moves one array of any backend to this device (:meth:`send` calls it per array).

        Chainer-style subclasses that have no backend override it.
        """
        return self.backend.send(array, self)

    @property
    def supported_array_types(self) -> tuple[type, ...]:
        """The array types of this device's backend (NumPy scalars excluded)."""
        scalars = self.backend.scalar_types
        return tuple(t for t in self.backend.array_types if t not in scalars)

    def use(self) -> None:
        """Makes this device the current one of its backend (e.g. the current GPU)."""
        backend = getattr(self, 'backend', None)
        if backend is not None:  # Chainer-style subclasses may have none
            backend.use_device(self)

    def create_context(self) -> AbstractContextManager[Any]:
        """A context manager in which this device is current (:func:`using_device` uses it)."""
        backend = getattr(self, 'backend', None)
        return contextlib.nullcontext(self) if backend is None else backend.create_context(self)

    def __enter__(self) -> Device:
        raise RuntimeError(f'{self}: a device is not a context manager; use '
                           f'polychain.using_device({str(self)!r}) instead')

    def __exit__(self, *exc_info: Any) -> None:
        raise RuntimeError(f'{self}: a device is not a context manager')

    def is_array_supported(self, array: Any) -> bool:
        """True when ``array`` is an array (not a scalar) living on this device."""
        if not isinstance(array, self.supported_array_types):
            return False
        return self.backend.device_of(array) is self

    def kernel(self, name: str) -> Any:
        """The backend's fast kernel ``name`` (one of :mod:`polychain.backend.kernels`), or
        ``None`` to use the generic one."""
        return self.backend.kernels.get(name)

    @property
    def random(self) -> Any:
        """This device's random generator.

        Created on first use with a seed drawn from NumPy's global random
        state, so that ``numpy.random.seed`` makes it repeatable as in Chainer
        unless :meth:`seed` was called.
        """
        if self._generator is None:
            self._generator = self.backend.create_generator(self, host_seed())
            register_generator(self)
        return self._generator

    def seed(self, seed: int | None) -> None:
        """Re-seeds this device's random generator; the same seed gives the same stream.

        ``None`` takes fresh entropy.
        """
        self._generator = self.backend.create_generator(self, seed)
        register_generator(self)
