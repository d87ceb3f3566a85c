"""Converters: turning a batch of examples into arrays on a device."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import numpy

from polychain.backend.device import Device
from polychain.backend.registry import get_device, get_device_from_array, to_host
from polychain.datasets.example_batch import stacked_columns

_HOST_TYPES = (numpy.ndarray, numpy.generic, bool, int, float, complex, list, tuple)


class Converter:
    """Base class of converters: ``converter(batch, device)`` returns the converted batch.

    A converter receives the batch an iterator returned and a
    :class:`~polychain.backend.Device` (or ``None``), and sends what it
    builds to that device. :func:`converter` turns a function into one.
    """

    def __call__(self, batch: Any, device: Device | None) -> Any:
        """Converts ``batch`` and sends it to ``device``.

        Args:
            batch: The batch, as returned by an iterator.
            device (~polychain.backend.Device or None): Where the result goes.
        """
        raise NotImplementedError(
            f'{type(self).__name__}.__call__: a Converter subclass must implement __call__')


class _CallableConverter(Converter):
    """Wraps a function ``f(batch, device, ...)``; the device argument becomes a Device."""

    def __init__(self, base_callable: Callable[..., Any]) -> None:
        if not callable(base_callable):
            raise TypeError(f'converter: expected a callable to wrap, received '
                            f'{type(base_callable).__name__}')
        self.base_callable = base_callable
        functools.update_wrapper(self, base_callable)

    def __reduce__(self) -> Any:
        # A module-level converter pickles by name (its function's name now means the converter).
        module = sys.modules.get(getattr(self, '__module__', ''))
        name = getattr(self, '__qualname__', '')
        if module is not None and getattr(module, name, None) is self:
            return name
        return _CallableConverter, (self.base_callable,)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) >= 2:
            args = (args[0], _as_device(args[1])) + args[2:]
        elif 'device' in kwargs:
            kwargs['device'] = _as_device(kwargs['device'])
        return self.base_callable(*args, **kwargs)


def converter() -> Callable[[Callable[..., Any]], Converter]:
    """Decorator that makes a :class:`Converter` of a function ``f(batch, device)``.

    The wrapped function always receives a :class:`~polychain.backend.Device`
    or ``None``: device specifiers such as ``'@numpy'`` and Chainer's integers
    (``-1`` for the host, ``n >= 0`` for CuPy device ``n``) are converted first.

    Example::

        @polychain.dataset.converter()
        def convert(batch, device):
            return concat_examples(batch, device, padding=0)
    """
    def wrap(func: Callable[..., Any]) -> Converter:
        return _CallableConverter(func)
    return wrap


def _as_device(device: Any) -> Device | None:
    return None if device is None else get_device(device)


def _legacy_device_argument(device: Device) -> Any:
    """The device argument a converter written for integer device ids expects."""
    spec = str(device)
    if spec == '@numpy':
        return -1
    backend_name, _, index = spec[1:].partition(':')
    if backend_name == 'cupy' and index.isdigit():
        return int(index)
    return device


def call_converter(converter: Callable[..., Any], batch: Any, device: Device | None) -> Any:
    """Calls a converter the way updaters and evaluators do.

    A :class:`Converter` receives ``device`` as it is; a plain function
    receives Chainer's integer for the host (``-1``) or a CuPy device, and
    the :class:`~polychain.backend.Device` itself for other backends.

    Args:
        converter: A :class:`Converter` or a function ``f(batch, device)``.
        batch: The batch to convert.
        device (~polychain.backend.Device or None): Where the result goes.
    """
    if device is not None and not isinstance(device, Device):
        raise TypeError(f'call_converter: expected device to be a Device or None, received '
                        f'{type(device).__name__}: {device!r}')
    if isinstance(converter, Converter) or device is None:
        return converter(batch, device)
    return converter(batch, _legacy_device_argument(device))


def convert_for_compiled_step(converter: Callable[..., Any], batch: Any,
                              device: Device | None) -> Any:
    """:func:`call_converter` for a compiled step (``compile=True`` of updaters and evaluators).

    With the default converter, batches of NumPy examples stay NumPy arrays: a
    compiled program takes them with its call, which costs less than sending
    each array first, and a step that runs eagerly sends them itself. Other
    converters, and batches of other arrays, go to ``device`` as usual.
    """
    if converter is not concat_examples or device is None:
        return call_converter(converter, batch, device)
    arrays = concat_examples(batch)
    leaves = arrays.values() if isinstance(arrays, dict) else \
        arrays if isinstance(arrays, tuple) else (arrays,)
    if all(isinstance(leaf, numpy.ndarray) for leaf in leaves):
        return arrays
    return device.send(arrays)


def to_device(device: Any, x: Any) -> Any:
    """Sends an array (or nested tuples/lists/dicts of arrays) to a device.

    Args:
        device: A device specifier (``'@numpy'``, ``'@jax:cpu:0'``), a
            :class:`~polychain.backend.Device`, Chainer's integer (``-1`` for
            the host, ``n >= 0`` for CuPy device ``n``), or ``None`` to leave
            ``x`` where it is.
        x: The array(s) to send.
    """
    if device is None:
        return x
    return get_device(device).send(x)


@converter()
def concat_examples(batch: Any, device: Any = None, padding: Any = None) -> Any:
    """Stacks a list of examples into arrays along a new first (batch) axis.

    Examples that are tuples give a tuple of arrays, examples that are dicts
    give a dict of arrays, and other examples (arrays or scalars) give one
    array. The arrays are stacked on the host and then sent to ``device``;
    with ``device=None`` they go back to the device of the examples.

    Args:
        batch (list): The examples, typically from an iterator.
        device: Where the arrays go: a device specifier, a
            :class:`~polychain.backend.Device`, Chainer's integer, or ``None``.
        padding: ``None`` (examples must have equal shapes), or a scalar that
            fills the gaps when examples of different shapes are stacked into
            the smallest array that holds them all. For tuple or dict examples
            it may be a tuple or dict with one value per element.

    Returns:
        An array, a tuple of arrays or a dict of arrays, like the examples.
    """
    if len(batch) == 0:
        raise ValueError('concat_examples: expected a non-empty batch, received an empty one')
    columns = stacked_columns(batch)
    if columns is not None:  # rows of arrays gathered by the iterator: no stacking needed
        if device is None:
            return columns
        return tuple(map(device.send, columns)) if isinstance(columns, tuple) \
            else device.send(columns)
    first = batch[0]
    if isinstance(first, tuple):
        paddings = padding if isinstance(padding, tuple) else (padding,) * len(first)
        return tuple(_stack_to_device([example[i] for example in batch], paddings[i], device)
                     for i in range(len(first)))
    if isinstance(first, dict):
        paddings = padding if isinstance(padding, dict) else dict.fromkeys(first, padding)
        return {key: _stack_to_device([example[key] for example in batch], paddings[key], device)
                for key in first}
    return _stack_to_device(batch, padding, device)


def _stack_to_device(values: list, padding: Any, device: Device | None) -> Any:
    source = None if isinstance(values[0], _HOST_TYPES) else get_device_from_array(values[0])
    arrays = [numpy.asarray(v) if isinstance(v, _HOST_TYPES) else to_host(v) for v in values]
    stacked = _stack(arrays) if padding is None else _stack_with_padding(arrays, padding)
    target = device if device is not None else source
    return stacked if target is None else target.send(stacked)


def _stack(arrays: list[numpy.ndarray]) -> numpy.ndarray:
    shape = arrays[0].shape
    for position, array in enumerate(arrays):
        if array.shape != shape:
            raise ValueError(
                f'concat_examples: expected examples of equal shapes, received {shape} at '
                f'position 0 and {array.shape} at position {position}; pass padding= to pad '
                f'them to a common shape')
    return numpy.stack(arrays)


def _stack_with_padding(arrays: list[numpy.ndarray], padding: Any) -> numpy.ndarray:
    ndim = arrays[0].ndim
    for position, array in enumerate(arrays):
        if array.ndim != ndim:
            raise ValueError(
                f'concat_examples: padding needs examples with the same number of dimensions, '
                f'received {ndim} at position 0 and {array.ndim} at position {position}')
    shape = tuple(max(sizes) for sizes in zip(*(a.shape for a in arrays))) if ndim else ()
    result = numpy.full((len(arrays),) + shape, padding, dtype=arrays[0].dtype)
    for i, array in enumerate(arrays):
        result[(i,) + tuple(slice(size) for size in array.shape)] = array
    return result


class ConcatWithAsyncTransfer(Converter):
    """Chainer's converter that overlaps host-to-GPU copies with computation.

    It gives what :func:`concat_examples` gives. The transfer is made by the
    target backend's ``send`` (asynchronous where the library is, as CuPy and
    JAX are); the CUDA streams Chainer took are accepted and not needed. As in
    Chainer, the device of the first call is kept: a later call with another
    device raises ``ValueError``.

    Args:
        stream: Accepted for compatibility (a CUDA stream in Chainer).
        compute_stream: Accepted for compatibility (a CUDA stream in Chainer).
    """

    def __init__(self, stream: Any = None, compute_stream: Any = None) -> None:
        self._stream = stream
        self.compute_stream = compute_stream
        self._device_spec: str | None = None  # str() of the first call's device, 'None' for none

    def __call__(self, batch: Any, device: Any = None, padding: Any = None) -> Any:
        device = _as_device(device)
        spec = str(device)
        if self._device_spec is not None and spec != self._device_spec:
            raise ValueError(f'ConcatWithAsyncTransfer: the device is fixed by the first call '
                             f'to {self._device_spec}, received {spec}')
        result = concat_examples(batch, device, padding)
        self._device_spec = spec
        return result
