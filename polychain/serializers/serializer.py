"""The serialization protocol: serializers record values, deserializers return loaded ones.

An object takes part by defining ``serialize(serializer)`` and assigning what
each call returns, e.g. ``param.array = serializer('W', param.array)``. A
saving serializer records the value (arrays copied to the host) and returns it
unchanged; a deserializer returns the loaded value converted to match the
value it was given. ``serializer['child']`` is the serializer of a sub-object.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy

from polychain.backend.registry import get_device_from_array, to_host

_SCALAR_TYPES = (bool, int, float, complex, str)


class AbstractSerializer:
    """Base of serializers and deserializers.

    Attributes:
        path (str): The path of the sub-object this serializer stands for,
            ending with ``'/'`` unless empty.
    """

    path: str = ''

    def __getitem__(self, key: str) -> AbstractSerializer:
        """The serializer of the child object ``key`` (paths joined with ``'/'``)."""
        child = copy.copy(self)
        child.path = self.path + key.strip('/') + '/'
        return child

    def __call__(self, key: str, value: Any) -> Any:
        """Saves or loads ``value`` under ``key``; returns the value the caller keeps.

        Args:
            key (str): Name of the entry.
            value: An array, a Python scalar, a string or ``None``.
        """
        raise NotImplementedError(f'{type(self).__name__} must implement __call__')

    def full_key(self, key: str) -> str:
        """The path of the entry ``key`` from the root of the serialized tree."""
        return self.path + key.lstrip('/')


class Serializer(AbstractSerializer):
    """Base of saving serializers."""

    def save(self, obj: Any) -> None:
        """Saves ``obj`` through this serializer: anything with a ``serialize`` method,
        or a dictionary, whose entries are saved as they are (as in Chainer)."""
        if isinstance(obj, dict):
            for key, value in obj.items():
                self(key, value)
        else:
            obj.serialize(self)


def to_saved_value(value: Any) -> numpy.ndarray:
    """``value`` as the host array that a saving serializer records.

    Arrays of any backend are copied to the host; scalars and strings become
    0-d arrays; ``None`` becomes a 0-d object array holding ``None``.
    """
    if _is_array(value) and not isinstance(value, numpy.generic):
        return numpy.asarray(to_host(value))
    return numpy.asarray(value)


class Deserializer(AbstractSerializer):
    """Base of loading deserializers.

    Subclasses read the stored entries through :meth:`_contains` and
    :meth:`_read`; this class resolves keys, applies ``strict`` and
    ``ignore_names``, and converts what was read to match the caller's value.

    :meth:`load` is all-or-nothing: a first pass reads and converts every
    entry that ``obj.serialize`` asks for while handing each caller back the
    value it passed in, so a missing key, a shape mismatch or an unreadable
    entry raises before ``obj`` changes; a second pass hands out the prepared
    values. Validating first (rather than snapshotting ``obj`` and restoring
    it) also covers lazily initialised parameters, which a restore could not
    return to their uninitialised state. It relies on ``serialize`` methods
    treating a returned ``None`` as "nothing loaded" (as
    :meth:`polychain.Link.serialize` does) and changing nothing else from
    what the first pass returns. Peak memory is the old and the new values
    together, as with any copy that must survive a failed load.

    Args:
        path (str): The path of the sub-tree to load, e.g.
            ``'updater/model:main/'``.
        strict (bool): If ``True``, a key missing from the source raises
            :class:`KeyError`; otherwise the value is returned unchanged.
        ignore_names (str, callable or list of them): Full keys to skip (the
            value is returned unchanged): a string matches a key exactly, a
            callable is asked ``ignore(key) -> bool``.

    Attributes:
        checking (bool): ``True`` in the first pass of :meth:`load`, where a
            ``serialize`` method must change nothing, even where it handles a
            missing entry itself (catching :class:`KeyError`).
    """

    checking = False

    def __init__(self, path: str = '', strict: bool = True,
                 ignore_names: str | Callable[[str], bool] | Iterable[Any] | None = None
                 ) -> None:
        self.path = path
        self.strict = strict
        self.ignore_names = _ignore_list(type(self).__name__, ignore_names)

    @property
    def source(self) -> str:
        """What is being read, as error messages name it (e.g. the file name)."""
        return '<unnamed source>'

    def _contains(self, key: str) -> bool:
        """Whether the source holds the entry ``key`` (a full key)."""
        raise NotImplementedError(f'{type(self).__name__} must implement _contains')

    def _read(self, key: str, value: Any = None) -> Any:
        """The stored entry ``key`` as a host ``numpy.ndarray``, or ``None`` if ``None`` was saved.

        ``value`` is the caller's current value: a reader that learns an
        entry's shape and dtype before reading its data checks them against
        it first (:func:`check_declared`), so an entry that cannot fit is
        never read. Errors are raised as :class:`ValueError` naming the
        source and the key.
        """
        raise NotImplementedError(f'{type(self).__name__} must implement _read')

    def load(self, obj: Any) -> None:
        """Loads ``obj`` (anything with a ``serialize`` method); on error ``obj`` is unchanged."""
        load_staged(self, obj)

    def __call__(self, key: str, value: Any) -> Any:
        """Loads ``key``; an array ``value`` that can be written is filled in place and returned."""
        return self._hand_out(value, self.load_value(key, value))

    def load_parameter(self, key: str, array: Any,
                       shape: tuple[int | None, ...] | None = None) -> Any:
        """Loads the parameter ``key`` as :meth:`__call__` does, checking its entry first.

        The entry must hold real numbers (not strings, dates, complex numbers
        or Python objects). ``None`` (an uninitialised parameter was saved)
        leaves an uninitialised parameter so, and is an error for an
        initialised one when ``strict``. Into an uninitialised parameter
        (``array`` is ``None``) the entry must also have the rank of
        ``shape`` and its sizes where they are not ``None``.

        Args:
            key (str): Name of the parameter.
            array: The parameter's array, ``None`` when uninitialised.
            shape: The shape the link will give an uninitialised parameter,
                ``None`` for a size not known yet; ``None`` if unknown.

        Raises:
            ValueError: The entry cannot be the parameter's array.
        """
        if type(self).__call__ is not Deserializer.__call__:  # a subclass that loads its own way
            return self(key, array)
        loaded = self.load_value(key, array)
        full_key = self.full_key(key)
        if loaded is None:
            if array is not None and self.strict and not self._is_ignored(full_key):
                raise ValueError(f'{full_key!r} from {self.source}: expected an array for an '
                                 f'initialised parameter, received None')
        elif array is None and loaded is not array:
            _check_parameter_entry(loaded, shape, full_key, self.source)
        return self._hand_out(array, loaded)

    def _hand_out(self, value: Any, loaded: Any) -> Any:
        """What the caller gets for ``value`` once ``loaded`` is read."""
        return store_loaded(value, loaded)

    def load_value(self, key: str, value: Any) -> Any:
        """The entry ``key`` converted to match ``value``, as a new object (``value`` untouched).

        ``value`` itself is returned when the key is ignored, or missing and
        not ``strict``.
        """
        key = self.full_key(key)
        if self._is_ignored(key):
            return value
        if not self._contains(key):
            if not self.strict:
                return value
            raise KeyError(f'{type(self).__name__}: {self.source} has no entry {key!r}')
        return convert_loaded(self._read(key, value), value, key, self.source)

    def _is_ignored(self, key: str) -> bool:
        for ignore in self.ignore_names:
            if ignore(key) if callable(ignore) else ignore == key:
                return True
        return False


# -- all-or-nothing loading: read and check every entry first, then assign them all --------

class _Staging(Deserializer):
    """First pass: loads each entry into ``staged`` and gives the caller its own value back."""

    checking = True

    def __init__(self, inner: Deserializer, staged: dict[str, Any]) -> None:
        self.inner = inner
        self.staged = staged
        self.path = inner.path
        self.strict = inner.strict
        self.ignore_names = inner.ignore_names

    @property
    def source(self) -> str:
        return self.inner.source

    def __getitem__(self, key: str) -> Deserializer:
        return type(self)(self.inner[key], self.staged)

    def _hand_out(self, value: Any, loaded: Any) -> Any:
        return value

    def load_value(self, key: str, value: Any) -> Any:
        """The entry ``key`` as it will be loaded, read once and kept for the second pass."""
        full_key = self.full_key(key)
        if full_key not in self.staged:
            self.staged[full_key] = self.inner.load_value(key, value)
        return self.staged[full_key]


class _Committing(_Staging):
    """Second pass: hands out the staged entries (reading any the first pass did not ask for)."""

    checking = False

    def _hand_out(self, value: Any, loaded: Any) -> Any:
        return store_loaded(value, loaded)


def load_staged(deserializer: Deserializer, obj: Any) -> None:
    """Loads ``obj`` through ``deserializer``, changing nothing unless every entry loads.

    Args:
        deserializer: Where the values come from.
        obj: Anything with a ``serialize(serializer)`` method.
    """
    staged: dict[str, Any] = {}
    obj.serialize(_Staging(deserializer, staged))
    obj.serialize(_Committing(deserializer, staged))


def store_loaded(value: Any, loaded: Any) -> Any:
    """``value`` filled in place with ``loaded`` where ``value`` is a writable array (as Chainer
    loads into NumPy and CuPy arrays); otherwise ``loaded`` (arrays of JAX are immutable)."""
    if loaded is value or not (_is_array(value) and _is_array(loaded)) \
            or isinstance(value, numpy.generic):
        return loaded
    try:
        value[...] = loaded
    except (TypeError, ValueError):  # an immutable or read-only array
        return loaded
    return value


def convert_loaded(loaded: Any, value: Any, key: str, source: str) -> Any:
    """The loaded host value ``loaded`` converted to match the caller's ``value``.

    Args:
        loaded: A host ``numpy.ndarray``, or ``None`` when ``None`` was saved
            (then ``None`` is returned whatever ``value`` is).
        value: The caller's current value. An array gets an array of its
            shape, dtype and device; a scalar or string gets one of its type;
            ``None`` gets ``loaded`` as it is.
        key: The full key, for error messages.
        source: What was read (e.g. the file name), for error messages.

    Raises:
        ValueError: The shapes differ.
        TypeError: ``value`` is of a type that cannot be loaded.
    """
    if loaded is None or value is None:
        return loaded
    if _is_array(value) and not isinstance(value, numpy.generic):
        return _to_array_like(loaded, value, key, source)
    if isinstance(value, numpy.generic):
        scalar_type, dtype = value.dtype.type, value.dtype
    elif isinstance(value, _SCALAR_TYPES):
        scalar_type, dtype = type(value), numpy.dtype(type(value))
    else:
        raise TypeError(f'{key!r} from {source}: expected the current value to be an array, a '
                        f'scalar, a string or None, received {type(value).__name__}')
    if dtype.kind != 'U':
        _check_scalar_cast(loaded, dtype, key, source)
    item = _as_scalar(loaded, value, key, source)
    try:
        return scalar_type(item)
    except (TypeError, ValueError) as error:
        raise ValueError(f'{key!r} from {source}: cannot load an entry of dtype {loaded.dtype} '
                         f'into a {scalar_type.__name__}: {error}') from error


def check_declared(shape: tuple[int, ...], dtype: numpy.dtype, value: Any, key: str,
                   source: str) -> None:
    """Checks an entry's shape and dtype against the caller's ``value`` before it is read.

    An array takes an entry of its shape holding numbers (complex ones only
    into a complex array); a number takes one number; a string one element.
    ``None`` (nothing to compare with) takes anything.

    Raises:
        ValueError: The entry cannot be loaded into ``value``.
    """
    if value is None:
        return
    if _is_array(value) and not isinstance(value, numpy.generic):
        if tuple(shape) != tuple(value.shape):
            raise ValueError(f'{key!r} from {source}: expected shape {tuple(value.shape)}, '
                             f'received shape {tuple(shape)}')
        numbers = 'biufc' if _is_complex(value) else 'biuf'
        if dtype.kind not in numbers:
            raise ValueError(f'{key!r} from {source}: expected {_KIND_NAMES[numbers]} for an '
                             f'array of dtype {value.dtype}, received an entry of dtype {dtype}')
    elif math.prod(shape) != 1:
        raise ValueError(f'{key!r} from {source}: expected a scalar, received an array of '
                         f'shape {tuple(shape)}')


_KIND_NAMES = {'biuf': 'real numbers', 'biufc': 'numbers'}


def _to_array_like(loaded: numpy.ndarray, value: Any, key: str, source: str) -> Any:
    check_declared(loaded.shape, loaded.dtype, value, key, source)
    device = get_device_from_array(value)
    array = device.send(numpy.ascontiguousarray(loaded))
    if array.dtype != value.dtype:
        array = device.namespace.astype(array, value.dtype)
    return array


def _check_parameter_entry(loaded: numpy.ndarray, shape: tuple[int | None, ...] | None,
                           key: str, source: str) -> None:
    if loaded.dtype.kind not in 'biuf':
        raise ValueError(f'{key!r} from {source}: expected real numbers for a parameter, '
                         f'received an entry of dtype {loaded.dtype}')
    if shape is not None and (len(loaded.shape) != len(shape) or any(
            size is not None and size != got for size, got in zip(shape, loaded.shape))):
        expected = ', '.join('*' if size is None else str(size) for size in shape)
        raise ValueError(f'{key!r} from {source}: expected a shape like ({expected}) (* any '
                         f'size) for the uninitialised parameter, received shape '
                         f'{tuple(loaded.shape)}')


def _check_scalar_cast(loaded: numpy.ndarray, dtype: numpy.dtype, key: str, source: str) -> None:
    """A stored number becomes a scalar of ``dtype`` only within its kind (no float to int)."""
    if loaded.dtype.kind in 'biufc' and not numpy.can_cast(loaded.dtype, dtype, 'same_kind'):
        raise TypeError(f'{key!r} from {source}: cannot load a value of dtype {loaded.dtype} '
                        f'into a scalar of dtype {dtype}')


def _as_scalar(loaded: numpy.ndarray, value: Any, key: str, source: str) -> Any:
    check_declared(loaded.shape, loaded.dtype, value, key, source)
    item = loaded.reshape(())[()]
    return item.decode('utf-8') if isinstance(item, bytes) else item


def _is_complex(array: Any) -> bool:
    namespace = get_device_from_array(array).namespace
    return bool(namespace.isdtype(array.dtype, 'complex floating'))


def _is_array(value: Any) -> bool:
    return hasattr(value, 'shape') and hasattr(value, 'dtype')


def _ignore_list(owner: str, ignore_names: Any) -> list[Any]:
    if ignore_names is None:
        return []
    names = [ignore_names] if isinstance(ignore_names, str) or callable(ignore_names) \
        else list(ignore_names)
    for name in names:
        if not (isinstance(name, str) or callable(name)):
            raise ValueError(f'{owner}: expected ignore_names to be a string, a callable or a '
                             f'list of them, received an item of type {type(name).__name__}')
    return names
