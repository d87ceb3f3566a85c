"""The registry of backends, fed by the ``polychain.backends`` entry-point group.

Backends are loaded lazily: a backend's module is imported the first time one
of its devices is asked for (or an array of an unknown type needs an owner).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import TYPE_CHECKING, Any

import numpy

from polychain.backend.device import Device
from polychain.backend.errors import BackendUnavailable

if TYPE_CHECKING:
    from polychain.backend.backend import Backend

ENTRY_POINT_GROUP = 'polychain.backends'

_lock = threading.RLock()
_factories: dict[str, Callable[[], Backend]] | None = None
_loaded: dict[str, Backend] = {}
_failures: dict[str, str] = {}
_owner_by_type: dict[type, Backend] = {}


def _discover() -> dict[str, Callable[[], Backend]]:
    global _factories
    if _factories is None:
        with _lock:
            if _factories is None:
                found: dict[str, Callable[[], Backend]] = {}
                for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
                    found.setdefault(entry.name, _lazy(entry))
                _factories = found
    return _factories


def _lazy(entry: metadata.EntryPoint) -> Callable[[], Backend]:
    def factory() -> Backend:
        return entry.load()()
    return factory


def register_backend(name: str, factory: Callable[[], Backend]) -> None:
    """Registers a backend factory by hand (the entry point does this for installed plugins).

    Args:
        name: The backend name used in device specifiers.
        factory: A callable returning the :class:`Backend`; called on first use.
    """
    with _lock:
        _discover()[name] = factory
        _loaded.pop(name, None)
        _failures.pop(name, None)
        _owner_by_type.clear()


def unregister_backend(name: str) -> None:
    """Removes a backend from the registry (its loaded devices become unusable)."""
    with _lock:
        _discover().pop(name, None)
        _loaded.pop(name, None)
        _failures.pop(name, None)
        _owner_by_type.clear()


def backend_names() -> list[str]:
    """Names of the registered backends, loaded or not."""
    return sorted(_discover())


def get_backend(name: str) -> Backend:
    """The backend called ``name``, loading it on first use.

    Raises:
        ValueError: No backend of that name is registered.
        BackendUnavailable: It is registered but cannot be used here (the
            message says why, e.g. its library is not installed).
    """
    backend = _loaded.get(name)
    if backend is not None:
        return backend
    with _lock:
        factories = _discover()
        if name not in factories:
            raise ValueError(f'unknown backend {name!r}; installed backends: '
                             f'{_installed_summary()}')
        if name in _failures:
            raise BackendUnavailable(f'backend {name!r} is unavailable: {_failures[name]}')
        try:
            backend = factories[name]()
            _load_library_owners(name, backend)
            _check_claims(name, backend)
        except ImportError as error:
            _failures[name] = f'{error.name or error} is not installed'
        except BackendUnavailable as error:
            _failures[name] = str(error)
        except Exception as error:  # a broken plugin must not break the others
            _failures[name] = f'loading it failed with {type(error).__name__}: {error}'
        else:
            _loaded[name] = backend
            _owner_by_type.clear()  # a backend of higher priority may take types over
            return backend
        raise BackendUnavailable(f'backend {name!r} is unavailable: {_failures[name]}')


def _load_library_owners(name: str, backend: Backend) -> None:
    """Loads the backends named after the libraries of ``backend``'s array types first.

    The library is imported already, so this is cheap; it makes the claims of
    ``@numpy`` on ``numpy.ndarray`` known before any other backend listing it
    loads, whichever is asked for first.
    """
    for kind in backend.array_types:
        library = kind.__module__.split('.')[0]
        if library != name and library in _discover() and library not in _loaded:
            try:
                get_backend(library)
            except BackendUnavailable:
                pass


def _check_claims(name: str, backend: Backend) -> None:
    """Raises :class:`BackendUnavailable` when a loaded backend lists one of ``backend``'s
    array types with the same :attr:`~Backend.array_type_priority`."""
    priority = backend.array_type_priority
    for other in _loaded.values():
        if other.array_type_priority != priority:
            continue
        shared = [kind for kind in backend.array_types if kind in other.array_types]
        if shared:
            kind = shared[0]
            raise BackendUnavailable(
                f'it lists {kind.__module__}.{kind.__qualname__} among its array_types, as '
                f'backend {other.name!r} does, with the same array_type_priority ({priority}); '
                f'an array of that type would belong to either. Give the backend that should '
                f'own such arrays a higher array_type_priority')


def _installed_summary() -> str:
    names = backend_names()
    return ', '.join(names) if names else '(none: is polychain installed with pip?)'


def get_device(spec: Any) -> Device:
    """The device for a specifier.

    Accepts a :class:`Device`, a string ``'@backend[:...]'`` such as ``'@numpy'``,
    ``'@cupy:0'``, ``'@jax'`` or ``'@jax:gpu:1'``, Chainer's integers (``-1``
    for NumPy, ``n >= 0`` for CuPy device ``n``; Python or NumPy integers, or
    strings of them such as ``'-1'``) and a ``cupy.cuda.Device``.

    Raises:
        ValueError: The specifier names an unknown backend or device.
        TypeError: The specifier is not a string, integer or device.
        BackendUnavailable: The backend cannot be used here; a string without
            ``@`` that is not an integer (a ChainerX specifier such as
            ``'native:0'``) and ``'@intel64'`` (iDeep) raise it too, since
            polychain has neither.
    """
    if isinstance(spec, Device):
        return spec
    if isinstance(spec, str) and _INTEGER.fullmatch(spec):
        spec = int(spec)
    elif _is_cupy_device(spec):
        spec = spec.id
    if isinstance(spec, (bool, numpy.bool_)) or not isinstance(spec, (str, int, numpy.integer)):
        raise TypeError(f'get_device: expected a device specifier (str like "@numpy", int or '
                        f'Device), received {type(spec).__name__}: {spec!r}')
    if not isinstance(spec, str):
        if spec < -1:
            raise ValueError(f'get_device: expected -1 (NumPy) or a CuPy device id >= 0, '
                             f'received {spec}')
        spec = '@numpy' if spec == -1 else f'@cupy:{int(spec)}'
    if not spec.startswith('@'):
        raise BackendUnavailable(
            f'get_device: {spec!r} is a ChainerX device specifier, and ChainerX is not '
            f'available in polychain; expected a specifier like "@numpy", "@cupy:0" or '
            f'"@jax:gpu:0" (installed backends: {_installed_summary()})')
    if len(spec) == 1:
        raise ValueError(f'get_device: expected a specifier like "@numpy", "@cupy:0" or '
                         f'"@jax:gpu:0", received {spec!r}; installed backends: '
                         f'{_installed_summary()}')
    name, *parts = spec[1:].split(':')
    if name == 'intel64' and name not in _discover():
        raise BackendUnavailable(f'get_device: {spec!r} is an iDeep device, and iDeep is not '
                                 f'available in polychain; use "@numpy" for the host')
    return get_backend(name).get_device(tuple(parts))


Device.lookup = get_device

_INTEGER = re.compile(r'-?[0-9]+')


def _is_cupy_device(spec: Any) -> bool:
    """Whether ``spec`` is a ``cupy.cuda.Device``."""
    return type(spec).__module__.startswith('cupy') and isinstance(getattr(spec, 'id', None), int)


def _claim(kind: type, backends: list[Backend]) -> Backend | None:
    """The backend listing the most derived class of ``kind`` among its array types (of
    those listing it, the one of highest :attr:`~Backend.array_type_priority`)."""
    for cls in kind.__mro__:
        claimants = [backend for backend in backends if cls in backend.array_types]
        if claimants:
            return max(claimants, key=lambda backend: backend.array_type_priority)
    return None


def _likely_owners(kind: type) -> list[str]:
    """Unloaded backend names, those named in the array type's module first.

    An array's library is already imported, so loading the backend named after
    it costs nothing; other backends are only tried after it.
    """
    module = kind.__module__.split('.')[0]
    names = [n for n in backend_names() if n not in _loaded and n not in _failures]
    return sorted(names, key=lambda name: name not in module)


def _owner_of(array: Any) -> Backend:
    kind = type(array)
    backend = _owner_by_type.get(kind)
    if backend is not None:
        return backend
    with _lock:
        backend = _claim(kind, list(_loaded.values()))
        if backend is None:
            for name in _likely_owners(kind):
                try:
                    get_backend(name)
                except BackendUnavailable:
                    continue
                backend = _claim(kind, list(_loaded.values()))
                if backend is not None:
                    break
        if backend is not None:
            _owner_by_type[kind] = backend
            return backend
    raise TypeError(f'expected an array of an installed backend ({_installed_summary()}), '
                    f'received {kind.__module__}.{kind.__qualname__}')


def get_device_from_array(array: Any) -> Device:
    """The device an array lives on.

    Raises:
        TypeError: No installed backend owns arrays of this type.
    """
    return _owner_of(array).device_of(array)


def get_array_module(*arrays: Any) -> Any:
    """The array library's own module for the first array (or Variable) among ``arrays``.

    As in Chainer: ``numpy`` for NumPy arrays, ``cupy`` for CuPy arrays, and
    the device's ``xp`` of other backends (``jax.numpy`` with a NumPy-style
    ``random``). Returns ``numpy`` when none of the arguments is an array.
    """
    found = _first_owned(arrays)
    if found is None:
        return get_backend('numpy').xp
    backend, array = found
    return backend.device_of(array).xp


def get_namespace(*arrays: Any) -> Any:
    """The Array API namespace of the first array (or Variable) among ``arrays``.

    This is what polychain computes with; returns NumPy's namespace when none
    of the arguments is an array.
    """
    found = _first_owned(arrays)
    return (found[0] if found is not None else get_backend('numpy')).namespace


#: Types whose ``array`` attribute holds the array they stand for (see
#: :func:`register_array_holder`).
_holders: tuple[type, ...] = ()


def register_array_holder(cls: type) -> None:
    """Makes :func:`get_array_module` and :func:`get_namespace` look at the ``array``
    attribute of instances of ``cls`` (``polychain.Variable`` registers itself)."""
    global _holders
    if cls not in _holders:
        _holders += (cls,)


def _first_owned(arrays: tuple[Any, ...]) -> tuple[Backend, Any] | None:
    """The backend and the array of the first argument that an installed backend owns."""
    for array in arrays:
        if isinstance(array, _holders):
            array = array.array
        if array is not None and not isinstance(array, (bool, int, float, complex)):
            try:
                return _owner_of(array), array
            except TypeError:
                continue
    return None


def to_host(array: Any) -> Any:
    """Copies an array of any backend to a ``numpy.ndarray`` (``None`` passes through)."""
    if array is None:
        return None
    return _owner_of(array).to_host(array)


@dataclass
class BackendInfo:
    """What :func:`list_backends` reports about one backend."""

    name: str
    available: bool
    reason: str = ''
    description: str = ''
    devices: list[str] = field(default_factory=list)


def list_backends() -> list[BackendInfo]:
    """Every registered backend, whether it can be used here, and its devices.

    Listing loads each backend (it imports the backend's array library).
    """
    infos = []
    for name in backend_names():
        try:
            backend = get_backend(name)
            devices = [str(d) for d in backend.devices()]
        except (BackendUnavailable, ImportError, RuntimeError) as error:
            infos.append(BackendInfo(name, False, reason=str(error)))
            continue
        infos.append(BackendInfo(name, True, description=backend.describe(), devices=devices))
    return infos
