"""The protocol every backend implements, with generic fallbacks for the optional hooks."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

import numpy

from polychain.backend.device import Device
from polychain.backend.errors import BackendUnavailable as BackendUnavailable
from polychain.backend.random import HostGenerator
from polychain.backend.registry import get_device_from_array, to_host


class Backend:
    """Base class of backends.

    A backend tells polychain how to reach one array library. Subclasses set
    :attr:`name`, :attr:`namespace`, :attr:`xp` and :attr:`array_types` and implement the methods
    that raise :class:`NotImplementedError` below; the remaining methods are
    hooks with generic fallbacks that a backend overrides where it can do
    better. Backends are registered under the entry-point group
    ``polychain.backends`` (name -> factory returning an instance).
    """

    #: Name used in device specifiers (``'@' + name``).
    name: str = ''
    #: The Array API namespace the core computes with (usually from ``array_api_compat``).
    namespace: Any = None
    #: Array types this backend owns; used to find the device of an array.
    array_types: tuple[type, ...] = ()
    #: Which backend owns an array type that several loaded backends list: the one of
    #: highest priority. A backend listing a type that a loaded backend lists with the same
    #: priority is refused (:class:`BackendUnavailable` naming both) when it loads.
    array_type_priority: int = 0
    #: Types the library returns for 0-d results instead of arrays (NumPy scalars);
    #: polychain converts them back to 0-d arrays.
    scalar_types: tuple[type, ...] = ()
    #: Fast kernels overriding the generic Array API implementations, keyed by the kernels
    #: declared in :mod:`polychain.backend.kernels`.
    kernels: Mapping[str, Callable[..., Any]] = {}
    #: Whether a process that has used this backend can be forked and the child use it too
    #: (a library running its own threads, as XLA does, may deadlock in a forked child).
    fork_safe: bool = True

    @property
    def xp(self) -> Any:
        """The library's own module (``numpy``, ``cupy``): what Chainer code calls ``xp``.

        Subclasses set it as a class attribute; it defaults to :attr:`namespace`.
        """
        return self.namespace

    def array_module(self, device: Device) -> Any:
        """What ``device.xp`` is for one of this backend's devices (:attr:`xp` by default).

        A backend whose module cannot draw random numbers on a given device
        NumPy's way overrides it (see :class:`~polychain.backend.DeviceModule`).
        """
        return self.xp

    # -- devices ---------------------------------------------------------------
    def devices(self) -> Sequence[Device]:
        """The usable devices of this backend, default one first."""
        raise NotImplementedError(f'backend {self.name!r} must implement devices()')

    def get_device(self, parts: Sequence[str]) -> Device:
        """The device for a specifier split at ``:`` after the backend name.

        ``'@jax:gpu:1'`` arrives here as ``('gpu', '1')``; ``'@jax'`` as ``()``.
        Raise :class:`ValueError` naming the specifier when it is not valid.
        """
        raise NotImplementedError(f'backend {self.name!r} must implement get_device()')

    def device_of(self, array: Any) -> Device:
        """The device an array of this backend lives on."""
        raise NotImplementedError(f'backend {self.name!r} must implement device_of()')

    def use_device(self, device: Device) -> None:
        """Makes ``device`` current; backends without a notion of it do nothing."""

    def create_context(self, device: Device) -> AbstractContextManager[Any]:
        """A context manager in which ``device`` is current, the previous one restored after.

        The fallback does nothing, for backends without a current device.
        """
        return contextlib.nullcontext(device)

    # -- transfer ----------------------------------------------------------------
    def to_host(self, array: Any) -> numpy.ndarray:
        """Copies an array of this backend into a ``numpy.ndarray``."""
        return numpy.asarray(array)

    def from_host(self, array: numpy.ndarray, device: Device) -> Any:
        """Creates an array on ``device`` from a host ``numpy.ndarray``."""
        raise NotImplementedError(f'backend {self.name!r} must implement from_host()')

    def send(self, array: Any, device: Device) -> Any:
        """Moves an array of any backend onto ``device`` of this backend.

        The generic route goes through the host; backends override it with
        DLPack or their own transfer where that avoids the copy.
        """
        source = get_device_from_array(array)
        if source is device:
            return array
        return self.from_host(source.backend.to_host(array), device)

    # -- hooks with generic fallbacks -----------------------------------------
    def create_generator(self, device: Device, seed: int | None) -> Any:
        """A seeded random generator for ``device`` (see :class:`HostGenerator`)."""
        return HostGenerator(device, seed)

    def scatter_add(self, array: Any, indices: Any, values: Any) -> Any:
        """A new array equal to ``array`` with ``values`` added at ``indices``.

        Repeated indices accumulate. ``indices`` is anything NumPy indexing
        accepts (integer arrays, slices, tuples of them). The generic fallback
        works on the host.
        """
        host = numpy.array(self.to_host(array))
        numpy.add.at(host, _host_index(indices), to_host(values))
        return self.from_host(host, self.device_of(array))

    def index_update(self, array: Any, indices: Any, values: Any) -> Any:
        """A new array equal to ``array`` with ``array[indices] = values``.

        The input array is never modified (arrays of some backends are
        immutable). The generic fallback works on the host.
        """
        host = numpy.array(self.to_host(array))
        host[_host_index(indices)] = to_host(values) if _is_array(values) else values
        return self.from_host(host, self.device_of(array))

    def synchronize(self, arrays: Sequence[Any]) -> None:
        """Waits until ``arrays`` are computed (a no-op for synchronous libraries).

        Hooks that measure time call it, so that a backend which returns before
        its work is done (JAX, CuPy) is timed for the work itself.
        """

    # -- compilation (optional) ------------------------------------------------
    #: Exceptions the library raises when traced code asks for a value on the host
    #: (``float(x)``, ``bool(x)``, conversion to NumPy); empty for backends that do not trace.
    host_read_errors: tuple[type[BaseException], ...] = ()

    def compile(self, function: Callable[..., Any], device: Device,
                donate_argnums: tuple[int, ...] = ()) -> Callable[..., Any] | None:
        """``function`` compiled for ``device``, or ``None`` when this backend cannot compile.

        ``function`` takes and returns nested tuples of arrays and Python
        scalars, and is traced with placeholders of its arguments; arrays
        made by tracing report ``device`` as their device. Arguments at
        ``donate_argnums`` may be overwritten by the call. Each call of the
        result traces ``function`` again only for arguments of a new shape,
        dtype or nesting. The default returns ``None``: polychain then runs
        the code eagerly.
        """
        return None

    def to_host_many(self, arrays: Sequence[Any]) -> list[numpy.ndarray]:
        """Host copies of several arrays, fetched together where the library can."""
        return [self.to_host(array) for array in arrays]

    # -- listing ---------------------------------------------------------------
    def describe(self) -> str:
        """One line about the library behind this backend (name and version)."""
        version = getattr(self.xp, '__version__', None)
        return f'{self.name} {version}' if version else self.name

    def __repr__(self) -> str:
        return f'<Backend {self.name}>'


def _is_array(value: Any) -> bool:
    return hasattr(value, 'shape') and hasattr(value, 'dtype')


def _host_index(indices: Any) -> Any:
    """Converts device index arrays inside an index expression to host arrays."""
    if isinstance(indices, tuple):
        return tuple(_host_index(i) for i in indices)
    if _is_array(indices):
        return to_host(indices)
    return indices
