"""Chainer's ``chainer.backends.cuda`` on polychain's CuPy backend.

Everything goes through the backend registry: CuPy is imported by the
``cupy`` backend plugin the first time it is needed, never by
``import polychain``. Without a usable CuPy device :data:`available` is
``False``, transfers to the GPU raise :class:`RuntimeError` saying why, and
:data:`cupy` / :data:`ndarray` are stand-ins, so that ``xp is cuda.cupy`` and
``isinstance(x, cuda.ndarray)`` keep working (and are false).

Module attributes computed on first access: ``available`` (a CuPy device is
usable), ``cupy`` (the module), ``ndarray`` (``cupy.ndarray``), ``Device``
(``cupy.cuda.Device``, or :class:`DummyDeviceType` without CuPy), and
``Stream`` and ``Event`` (``cupy.cuda``'s; without CuPy, classes that no
object is an instance of and that raise :class:`RuntimeError` when created).
polychain does not call cuDNN: :data:`cudnn_enabled` is ``False`` and
:func:`should_use_cudnn` answers ``False``.
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy

from polychain.backend import BackendUnavailable, get_backend, kernels, to_host
from polychain.backend import Device as _PolychainDevice
from polychain.backend import get_array_module as _get_array_module
from polychain.backend import get_device as _polychain_device
from polychain.backend.device_classes import GpuDevice as GpuDevice  # Chainer's cuda.GpuDevice
from polychain.backend.registry import get_device_from_array as _device_of_array
from polychain.configuration import config as config  # Chainer's cuda.config

#: Whether cuDNN is used: polychain never calls cuDNN directly.
cudnn_enabled = False
_CUDNN_LEVELS = ('==always', '>=auto')
_max_workspace_size = 8 * 1024 * 1024
_memo_caches: list[dict[Any, Any]] = []


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


class _NoCupyType:
    """Stands for a ``cupy.cuda`` class without CuPy: usable in ``isinstance``, not creatable."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError(f'cuda.{type(self).__name__} needs CuPy: {_unavailable_reason()}')


_PLACEHOLDERS = {name: type(name, (_NoCupyType,), {'__module__': __name__})
                 for name in ('Stream', 'Event')}


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
    if name in ('Stream', 'Event'):
        module = _cupy_module()
        return getattr(module.cuda, name) if module is not None else _PLACEHOLDERS[name]
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def check_cuda_available() -> None:
    """Raises :class:`RuntimeError` unless a CuPy device is usable.

    The message says why (CuPy not installed, no CUDA device, ...).
    """
    if _cupy_backend() is None:
        raise RuntimeError(f'CUDA is not available: {_unavailable_reason()}')


def get_array_module(*args: Any) -> Any:
    """The array module of the first array or Variable among ``args``.

    ``numpy`` for NumPy arrays, ``cupy`` for CuPy arrays, the device's ``xp``
    for other backends; ``numpy`` when no argument is an array.
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
    """Applies ``convert`` to an array, or to each array of a list or tuple (``None`` stays).

    An array found twice in a list or tuple is converted once, into one array.
    """
    if array is None:
        return None
    if isinstance(array, (list, tuple)):
        converted: dict[int, Any] = {}
        for a in array:
            if id(a) not in converted:
                converted[id(a)] = _map_arrays(a, convert, where)
        return type(array)(converted[id(a)] for a in array)
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
        array: An array of any backend, a NumPy or Python scalar, ``None``, or
            a list or tuple of them.
        stream: Deprecated and ignored.

    Returns:
        ``numpy.ndarray`` (or a list/tuple of them); NumPy arrays are returned
        as they are, scalars become 0-d arrays, ``None`` stays ``None``.
    """
    if stream is not None:
        warnings.warn('to_cpu: the stream argument is deprecated and ignored',
                      DeprecationWarning, stacklevel=2)

    def convert(a: Any) -> Any:
        if isinstance(a, numpy.ndarray):
            return a
        if type(a) in (bool, int, float, complex):
            return numpy.asarray(a)
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


def should_use_cudnn(level: str, lowest_version: int = 0) -> bool:
    """Whether cuDNN should be used at ``level``: ``False``, polychain does not call cuDNN.

    Args:
        level: ``'==always'`` or ``'>=auto'``, as in Chainer.
        lowest_version: The lowest cuDNN version needed (unused).

    Raises:
        ValueError: ``level`` is neither.
    """
    if level not in _CUDNN_LEVELS:
        raise ValueError(f'should_use_cudnn: expected level '
                         f'{" or ".join(map(repr, _CUDNN_LEVELS))}, received {level!r}')
    return False


def should_use_cudnn_tensor_core(dtype: Any) -> bool:
    """Whether cuDNN's tensor cores should be used for ``dtype``: ``False`` (no cuDNN)."""
    return False


def get_max_workspace_size() -> int:
    """The workspace size limit in bytes, kept for Chainer code that sets and reads it."""
    return _max_workspace_size


def set_max_workspace_size(size: int) -> None:
    """Sets the workspace size limit in bytes (see :func:`get_max_workspace_size`)."""
    global _max_workspace_size
    _max_workspace_size = int(size)


def memoize(for_each_device: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator caching a function's result per positional arguments.

    Args:
        for_each_device: Keep one cache entry per current CUDA device (with
            CuPy; without it there is only the host).

    :func:`clear_memo` empties every cache.
    """
    def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
        cache: dict[Any, Any] = {}
        _memo_caches.append(cache)

        @functools.wraps(function)
        def cached(*args: Any) -> Any:
            key = (_current_gpu_id(), args) if for_each_device else args
            if key not in cache:
                cache[key] = function(*args)
            return cache[key]
        return cached
    return decorator


def clear_memo() -> None:
    """Empties the caches of every function decorated with :func:`memoize`."""
    for cache in _memo_caches:
        cache.clear()


def _current_gpu_id() -> int:
    module = sys.modules.get('cupy')
    return module.cuda.Device().id if module is not None and _cupy_backend() else -1


def copy(array: Any, out: Any = None, out_device: Any = None, stream: Any = None) -> Any:
    """Copies a ``cupy.ndarray``, onto another GPU if asked.

    Args:
        array: The CuPy array to copy.
        out: The array to copy into; ``None`` creates one.
        out_device: Where a new ``out`` goes (GPU id, ``cupy.cuda.Device`` or
            ``@cupy:N`` Device); default: the GPU of ``array``.
        stream: Not supported (must be ``None``), as in Chainer.

    Raises:
        RuntimeError: No CuPy device is usable.
        ValueError: ``stream`` is given.
    """
    check_cuda_available()
    if stream is not None:
        raise ValueError('cuda.copy: the stream argument is not supported')
    cupy = _cupy_module()
    source = get_device_from_array(array)
    if out is None:
        target = source if out_device is None else _gpu_device(out_device, 'copy').native
        with target:
            out = cupy.empty_like(array)
    with source:
        cupy.copyto(out, array)
    return out


@memoize(for_each_device=True)
def _compiled_kernel(kind: str, args: tuple[Any, ...], options: tuple[Any, ...]) -> Any:
    return getattr(_cupy_module(), kind)(*args, **dict(options))


def _kernel(kind: str, args: tuple[Any, ...], options: dict[str, Any]) -> Any:
    """CuPy's kernel class ``kind`` built from ``args``, cached per GPU (see :func:`memoize`)."""
    check_cuda_available()
    return _compiled_kernel(kind, args, tuple(sorted(options.items())))


def elementwise(in_params: str, out_params: str, operation: str, name: str,
                **kwargs: Any) -> Any:
    """A ``cupy.ElementwiseKernel``, created once per arguments and GPU.

    Raises:
        RuntimeError: No CuPy device is usable.
    """
    return _kernel('ElementwiseKernel', (in_params, out_params, operation, name), kwargs)


def reduce(in_params: str, out_params: str, map_expr: str, reduce_expr: str,
           post_map_expr: str, identity: Any, name: str, **kwargs: Any) -> Any:
    """A ``cupy.ReductionKernel``, created once per arguments and GPU.

    Raises:
        RuntimeError: No CuPy device is usable.
    """
    return _kernel('ReductionKernel', (in_params, out_params, map_expr, reduce_expr,
                                       post_map_expr, identity, name), kwargs)


def raw(code: str, name: str, *args: Any, **kwargs: Any) -> Any:
    """A ``cupy.RawKernel`` compiled from CUDA source ``code``, once per arguments and GPU.

    Raises:
        RuntimeError: No CuPy device is usable.
    """
    return _kernel('RawKernel', (code, name, *args), kwargs)


def fuse(*args: Any, **kwargs: Any) -> Any:
    """Function-fusing decorator: ``cupy.fuse`` for CuPy arrays, the plain function otherwise.

    Use it as ``@fuse`` or ``@fuse(kernel_name='f')``. The decorated function
    runs as one fused kernel when an argument is a CuPy array, and as
    written for arrays of other backends (and everywhere without CuPy).
    """
    if len(args) == 1 and not kwargs and callable(args[0]):
        return _fused(args[0], {})
    return lambda function: _fused(function, kwargs)


def _fused(function: Callable[..., Any], options: dict[str, Any]) -> Callable[..., Any]:
    if _cupy_backend() is None:
        return function
    cupy = _cupy_module()
    kernel = cupy.fuse(**options)(function)

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        if any(isinstance(a, cupy.ndarray) for a in args):
            return kernel(*args, **kwargs)
        return function(*args, **kwargs)
    return call


def get_cudnn_dropout_states() -> Any:
    """cuDNN's dropout states of this thread on the current GPU.

    Raises:
        RuntimeError: Always, as polychain does not use cuDNN
            (:data:`cudnn_enabled` is ``False``).
    """
    if not cudnn_enabled:
        raise RuntimeError('cuda.get_cudnn_dropout_states: cuDNN is not enabled '
                           '(polychain does not use cuDNN)')
    return get_cudnn_dropout_states_core(threading.current_thread().ident)


_dropout_states_count = itertools.count()


@memoize(for_each_device=True)
def get_cudnn_dropout_states_core(thread_id: int) -> Any:
    """New ``cupy.cudnn.DropoutStates`` for ``thread_id`` on the current GPU (cached).

    Seeded from ``CHAINER_SEED`` when set (plus a count of the states made),
    else from the operating system's entropy.

    Raises:
        RuntimeError: No CuPy device is usable, or CuPy has no cuDNN.
    """
    check_cuda_available()
    make_states = _cupy_backend().kernels.get(kernels.cudnn_dropout_states)
    if make_states is None:
        raise RuntimeError('cuda.get_cudnn_dropout_states_core: the cupy backend has no '
                           'cudnn_dropout_states kernel')
    seed = os.environ.get('CHAINER_SEED')
    base = int(seed) if seed is not None else int.from_bytes(os.urandom(8), 'little')
    states_seed = (base + next(_dropout_states_count)) % 2 ** 64
    try:
        return make_states(states_seed)
    except RuntimeError as error:
        raise RuntimeError(f'cuda.get_cudnn_dropout_states_core: {error}') from None
