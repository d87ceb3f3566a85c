"""Chainer's ``chainer.backends.cuda`` on polychain's CuPy backend.

Everything goes through the backend registry: CuPy is imported by the
``cupy`` backend plugin the first time it is needed, never by
``import polychain``. Without a usable CuPy device :data:`available` is
``False``, transfers to the GPU raise :class:`RuntimeError` saying why, and
:data:`cupy` / :data:`ndarray` are stand-ins, so that ``xp is cuda.cupy`` and
``isinstance(x, cuda.ndarray)`` keep working (and are false).

Module attributes computed on first access: ``available`` (a CuPy device is
usable), ``cupy`` (the module), ``ndarray`` (``cupy.ndarray``) and ``Device``
(``cupy.cuda.Device``, or :class:`DummyDeviceType` without CuPy).
"""

from __future__ import annotations

import sys
import warnings
from typing import Any

import numpy

from polychain.backend import BackendUnavailable, get_backend, to_host
from polychain.backend import Device as _PolychainDevice
from polychain.backend import get_array_module as _get_array_module
from polychain.backend import get_device as _polychain_device
from polychain.backend import get_device_from_array as _device_of_array


class DummyDeviceType:
    """The "device" of CPU arrays: ``use()`` and ``with`` do nothing; its id is -1."""

    id = -1

    def __int__(self) -> int:
        return -1

    def __enter__(self) -> DummyDeviceType:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        return None

    def use(self) -> None:
        """Does nothing (there is no current CPU device)."""

    def synchronize(self) -> None:
        """Does nothing (CPU work is synchronous)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DummyDeviceType)

    def __hash__(self) -> int:
        return hash(DummyDeviceType)

    def __repr__(self) -> str:
        return 'DummyDevice'


#: The device returned for arrays that are not on a GPU.
DummyDevice = DummyDeviceType()


class _MissingCupy:
    """Stands for the ``cupy`` module when CuPy cannot be used; every attribute explains why."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f'cuda.cupy.{name}: CuPy is not available: {_unavailable_reason()}')

    def __repr__(self) -> str:
        return '<cupy (not available)>'


class _NoCupyArray:
    """Stands for ``cupy.ndarray`` when CuPy cannot be used: no array is an instance of it."""


def _cupy_backend() -> Any:
    """The loaded ``cupy`` backend, or ``None`` when it is not registered or not usable."""
    try:
        return get_backend('cupy')
    except (ValueError, BackendUnavailable):
        return None


def _unavailable_reason() -> str:
    try:
        get_backend('cupy')
    except (ValueError, BackendUnavailable) as error:
        return str(error)
    return 'it is available'


def _cupy_module() -> Any:
    """The ``cupy`` module as imported by the backend plugin, or ``None``."""
    _cupy_backend()  # loading the backend imports CuPy when it is installed
    return sys.modules.get('cupy')


def __getattr__(name: str) -> Any:
    if name == 'available':
        return _cupy_backend() is not None
    if name == 'cupy':
        return _cupy_module() or _MissingCupy()
    if name == 'ndarray':
        module = _cupy_module()
        return module.ndarray if module is not None else _NoCupyArray
    if name == 'Device':
        module = _cupy_module()
        return module.cuda.Device if module is not None else DummyDeviceType
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def check_cuda_available() -> None:
    """Raises :class:`RuntimeError` unless a CuPy device is usable.

    The message says why (CuPy not installed, no CUDA device, ...).
    """
    if _cupy_backend() is None:
        raise RuntimeError(f'CUDA is not available: {_unavailable_reason()}')


def get_array_module(*args: Any) -> Any:
    """The array namespace of the first array or Variable among ``args``.

    Works for arrays of every backend (NumPy, CuPy, JAX, ...); returns NumPy's
    namespace when no argument is an array.
    """
    return _get_array_module(*args)


def _is_cupy_device(device: Any) -> bool:
    return isinstance(device, _PolychainDevice) and device.backend.name == 'cupy'


def _gpu_device(device: Any, where: str) -> _PolychainDevice:
    """The ``@cupy:N`` Device for Chainer's device arguments (None: the current GPU)."""
    check_cuda_available()
    if device is None or isinstance(device, DummyDeviceType):
        return _polychain_device(f'@cupy:{_cupy_module().cuda.Device().id}')
    if isinstance(device, _PolychainDevice):
        if not _is_cupy_device(device):
            raise ValueError(f'{where}: expected a CuPy device, received {device}')
        return device
    if isinstance(device, (int, numpy.integer)) and not isinstance(device, bool):
        return _polychain_device(f'@cupy:{int(device)}')
    if isinstance(device, _cupy_module().cuda.Device):
        return _polychain_device(f'@cupy:{device.id}')
    raise TypeError(f'{where}: expected a GPU id, a cupy.cuda.Device or a "@cupy:N" Device as '
                    f'device, received {type(device).__name__}: {device!r}')


def _map_arrays(array: Any, convert: Any, where: str) -> Any:
    """Applies ``convert`` to an array, or to each array of a list or tuple (``None`` stays)."""
    if array is None:
        return None
    if isinstance(array, (list, tuple)):
        return type(array)(_map_arrays(a, convert, where) for a in array)
    if isinstance(array, numpy.generic):
        array = numpy.asarray(array)
    from polychain.variable import Variable
    if isinstance(array, Variable):
        raise TypeError(f'{where}: expected an array, a list or tuple of arrays, or None, '
                        f'received a Variable; move it with Variable.to_device() instead')
    return convert(array)


def to_gpu(array: Any, device: Any = None, stream: Any = None) -> Any:
    """Copies an array (or a list/tuple of arrays) to a GPU.

    Args:
        array: An array of any backend, a NumPy scalar, ``None``, or a list or
            tuple of them.
        device: GPU id, ``cupy.cuda.Device`` or ``@cupy:N`` Device; ``None``
            or :data:`DummyDevice` means the current GPU.
        stream: Deprecated and ignored; copies are ordered on the current stream.

    Returns:
        ``cupy.ndarray`` (or a list/tuple of them). Arrays already on the
        device are returned without a copy; ``None`` stays ``None``.

    Raises:
        RuntimeError: No CuPy device is usable.
    """
    if stream is not None:
        warnings.warn('to_gpu: the stream argument is deprecated and ignored',
                      DeprecationWarning, stacklevel=2)
    target = _gpu_device(device, 'to_gpu')

    def convert(a: Any) -> Any:
        try:
            return target.send(a)
        except TypeError as error:
            raise TypeError(f'to_gpu: {error}') from None
    return _map_arrays(array, convert, 'to_gpu')


def to_cpu(array: Any, stream: Any = None) -> Any:
    """Copies an array (or a list/tuple of arrays) of any backend to a ``numpy.ndarray``.

    Args:
        array: An array of any backend, a NumPy scalar, ``None``, or a list or
            tuple of them.
        stream: Deprecated and ignored.

    Returns:
        ``numpy.ndarray`` (or a list/tuple of them); NumPy arrays are returned
        as they are, ``None`` stays ``None``.
    """
    if stream is not None:
        warnings.warn('to_cpu: the stream argument is deprecated and ignored',
                      DeprecationWarning, stacklevel=2)

    def convert(a: Any) -> Any:
        if isinstance(a, numpy.ndarray):
            return a
        try:
            return to_host(a)
        except TypeError as error:
            raise TypeError(f'to_cpu: {error}') from None
    return _map_arrays(array, convert, 'to_cpu')


def get_device_from_id(device_id: int | None) -> Any:
    """The ``cupy.cuda.Device`` of GPU ``device_id``; :data:`DummyDevice` for ``None``.

    Args:
        device_id (int or None): The GPU id.

    Raises:
        RuntimeError: No CuPy device is usable.
        ValueError: There is no GPU of that id.
    """
    if device_id is None:
        return DummyDevice
    return _gpu_device(device_id, 'get_device_from_id').native


def get_device_from_array(*arrays: Any) -> Any:
    """The ``cupy.cuda.Device`` of the first CuPy array (or Variable) among ``arrays``.

    Returns :data:`DummyDevice` when none of them lives on a GPU.
    """
    from polychain.variable import Variable
    for array in arrays:
        if isinstance(array, Variable):
            array = array.array
        if array is None or isinstance(array, (bool, int, float, complex)):
            continue
        try:
            device = _device_of_array(array)
        except TypeError:
            continue
        if _is_cupy_device(device):
            return device.native
    return DummyDevice


def get_device(*args: Any) -> Any:
    """Deprecated: :func:`get_device_from_id` for an int, else :func:`get_device_from_array`.

    A ``cupy.cuda.Device`` or :data:`DummyDevice` among ``args`` is returned as it is.
    """
    warnings.warn('cuda.get_device is deprecated; use get_device_from_id or '
                  'get_device_from_array', DeprecationWarning, stacklevel=2)
    for arg in args:
        if isinstance(arg, (int, numpy.integer)) and not isinstance(arg, bool):
            return get_device_from_id(int(arg))
        if isinstance(arg, DummyDeviceType):
            return arg
        module = _cupy_module()
        if module is not None and isinstance(arg, module.cuda.Device):
            return arg
    return get_device_from_array(*args)
