"""A small proto2 runtime: messages declared by field tables, read from and written to
Protocol Buffers' binary wire format and written as text format.

It covers what Caffe's model files use: varint scalars (ints, bools, enums),
32- and 64-bit floats, strings and bytes, nested messages, repeated fields
(packed or not). A message class lists its fields in ``FIELDS``; instances
behave like the classes protoc generates for Python (attribute access with
defaults, ``HasField``, ``add()`` on repeated messages, ``append`` and slice
assignment on repeated scalars, ``ParseFromString``/``SerializeToString``).
Unknown fields are skipped when reading. Packed float data stays a NumPy array
(no Python float per value), so large weight blobs read fast.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy

VARINT, FIXED64, LENGTH, START_GROUP, END_GROUP, FIXED32 = 0, 1, 2, 3, 4, 5

#: Scalar kinds -> (wire type, NumPy dtype of fixed-width kinds, default value).
_KINDS: dict[str, tuple[int, str | None, Any]] = {
    'int32': (VARINT, None, 0), 'int64': (VARINT, None, 0), 'uint32': (VARINT, None, 0),
    'uint64': (VARINT, None, 0), 'bool': (VARINT, None, False), 'enum': (VARINT, None, 0),
    'float': (FIXED32, '<f4', 0.0), 'double': (FIXED64, '<f8', 0.0),
    'string': (LENGTH, None, ''), 'bytes': (LENGTH, None, b''),
}
_SIGNED = ('int32', 'int64', 'enum')


class DecodeError(ValueError):
    """The bytes are not a valid encoding of the message."""


@dataclass(frozen=True)
class Field:
    """One field of a message.

    Args:
        number: The field number.
        kind: A scalar kind (``'int64'``, ``'float'``, ``'string'``, ...) or a
            :class:`Message` subclass.
        repeated: Whether the field is repeated.
        default: The default of an optional scalar (the kind's zero when ``None``).
        packed: Whether a repeated scalar is written packed.
        enum: The names and values of an enum field (for text format).
    """

    number: int
    kind: Any
    repeated: bool = False
    default: Any = None
    packed: bool = False
    enum: dict[str, int] | None = None

    @property
    def is_message(self) -> bool:
        return isinstance(self.kind, type)

    @property
    def zero(self) -> Any:
        return _KINDS[self.kind][2] if self.default is None else self.default


def field(number: int, kind: Any, default: Any = None, enum: dict[str, int] | None = None
          ) -> Field:
    """An optional field."""
    return Field(number, kind, default=default, enum=enum)


def repeated(number: int, kind: Any, packed: bool = False) -> Field:
    """A repeated field."""
    return Field(number, kind, repeated=True, packed=packed)


class RepeatedScalar:
    """The values of a repeated scalar field (a list, or a NumPy array read from packed data)."""

    __slots__ = ('_field', '_values')

    def __init__(self, field_: Field) -> None:
        self._field = field_
        self._values: list[Any] | numpy.ndarray = []

    def _list(self) -> list[Any]:
        if isinstance(self._values, numpy.ndarray):
            self._values = self._values.tolist()
        return self._values

    def _checked(self, value: Any) -> Any:
        return _checked('repeated field', str(self._field.number), self._field, value)

    def append(self, value: Any) -> None:
        self._list().append(self._checked(value))

    def extend(self, values: Iterable[Any]) -> None:
        self._list().extend(self._checked(value) for value in values)

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        values = self._values
        return iter(values.tolist() if isinstance(values, numpy.ndarray) else values)

    def __getitem__(self, key: Any) -> Any:
        value = self._values[key]
        return value.tolist() if isinstance(value, (numpy.ndarray, numpy.generic)) else value

    def __setitem__(self, key: Any, value: Any) -> None:
        if key == slice(None):
            dtype = _KINDS[self._field.kind][1]
            self._values = (numpy.array(value, dtype).ravel()
                            if dtype and isinstance(value, numpy.ndarray)
                            else [self._checked(item) for item in value])
        else:
            self._list()[key] = self._checked(value)

    def __delitem__(self, key: Any) -> None:
        del self._list()[key]

    def __eq__(self, other: Any) -> bool:
        return list(self) == list(other) if isinstance(other, (list, tuple, RepeatedScalar)) \
            else NotImplemented

    def __array__(self, dtype: Any = None, copy: Any = None) -> numpy.ndarray:
        return numpy.asarray(self._values, dtype=dtype)

    def __repr__(self) -> str:
        return repr(list(self))


class RepeatedMessage:
    """The messages of a repeated message field; :meth:`add` appends a new one."""

    __slots__ = ('_kind', '_items')

    def __init__(self, kind: type[Message]) -> None:
        self._kind = kind
        self._items: list[Message] = []

    def add(self, **values: Any) -> Message:
        """Appends a new message (its fields set from ``values``) and returns it."""
        message = self._kind(**values)
        self._items.append(message)
        return message

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Message]:
        return iter(self._items)

    def __getitem__(self, key: Any) -> Any:
        return self._items[key]

    def __delitem__(self, key: Any) -> None:
        del self._items[key]

    def __repr__(self) -> str:
        return repr(self._items)


class Message:
    """A protobuf message whose fields are declared in ``FIELDS`` (name -> :class:`Field`)."""

    FIELDS: ClassVar[dict[str, Field]] = {}
    _BY_NUMBER: ClassVar[dict[int, tuple[str, Field]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._BY_NUMBER = {f.number: (name, f) for name, f in cls.FIELDS.items()}

    def __init__(self, **values: Any) -> None:
        object.__setattr__(self, '_values', {})
        object.__setattr__(self, '_present', False)
        for name, value in values.items():
            setattr(self, name, value)

    def _field(self, name: str) -> Field:
        try:
            return self.FIELDS[name]
        except KeyError:
            raise AttributeError(f'{type(self).__name__} has no field {name!r}') from None

    def __getattr__(self, name: str) -> Any:
        if name.startswith('_'):
            raise AttributeError(name)
        f = self._field(name)
        values = self._values
        if name in values:
            return values[name]
        if f.repeated:
            values[name] = RepeatedMessage(f.kind) if f.is_message else RepeatedScalar(f)
            return values[name]
        if f.is_message:
            values[name] = f.kind()
            return values[name]
        return f.zero

    def __setattr__(self, name: str, value: Any) -> None:
        f = self._field(name)
        if f.repeated or f.is_message:
            if f.repeated and isinstance(value, (list, tuple)):
                if f.is_message:
                    raise AttributeError(f'{type(self).__name__}.{name}: assignment not allowed '
                                         'to a repeated message field (use add())')
                getattr(self, name)[:] = value
                return
            raise AttributeError(f'{type(self).__name__}.{name}: assignment not allowed to a '
                                 f'{"repeated" if f.repeated else "message"} field')
        self._values[name] = _checked(type(self).__name__, name, f, value)

    def HasField(self, name: str) -> bool:  # noqa: N802 (protobuf's name)
        """Whether the optional field ``name`` is set (a message: set or holding a set field)."""
        f = self._field(name)
        if f.repeated:
            raise ValueError(f'{type(self).__name__}.HasField: {name!r} is a repeated field')
        value = self._values.get(name)
        return value is not None and (not f.is_message or value._is_set())

    def _is_set(self) -> bool:
        return self._present or any(
            len(v) if self.FIELDS[n].repeated else (not self.FIELDS[n].is_message or v._is_set())
            for n, v in self._values.items())

    def ClearField(self, name: str) -> None:  # noqa: N802 (protobuf's name)
        """Unsets the field ``name``."""
        self._field(name)
        self._values.pop(name, None)

    def ParseFromString(self, data: bytes) -> int:  # noqa: N802 (protobuf's name)
        """Replaces the contents by the message encoded in ``data``; returns its length."""
        object.__setattr__(self, '_values', {})
        return self.MergeFromString(data)

    def MergeFromString(self, data: bytes) -> int:  # noqa: N802 (protobuf's name)
        """Merges the message encoded in ``data`` into this one; returns its length."""
        view = memoryview(data).cast('B')
        _decode(self, view, 0, len(view))
        return len(view)

    def SerializeToString(self) -> bytes:  # noqa: N802 (protobuf's name)
        """The binary encoding of the message."""
        out = bytearray()
        _encode(self, out)
        return bytes(out)

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and \
            self.SerializeToString() == other.SerializeToString()

    def __repr__(self) -> str:
        return f'{type(self).__name__}({to_text(self, inline=True)})'


def _checked(message: str, name: str, f: Field, value: Any) -> Any:
    kind = f.kind
    if kind == 'string':
        ok = isinstance(value, str)
    elif kind == 'bytes':
        ok = isinstance(value, bytes)
    elif kind in ('float', 'double'):
        ok = isinstance(value, (int, float, numpy.integer, numpy.floating)) and \
            not isinstance(value, bool)
        value = float(value) if ok else value
    elif kind == 'bool':
        ok = isinstance(value, (bool, int, numpy.bool_, numpy.integer))
        value = bool(value) if ok else value
    else:
        ok = isinstance(value, (int, numpy.integer)) and not isinstance(value, bool) \
            and (kind in _SIGNED or value >= 0)
        value = int(value) if ok else value
    if not ok:
        raise TypeError(f'{message}.{name}: expected a {kind} value, received {value!r} '
                        f'({type(value).__name__})')
    return value


# -- wire format ----------------------------------------------------------------------------

def _read_varint(data: memoryview, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        try:
            byte = data[position]
        except IndexError:
            raise DecodeError('truncated varint') from None
        position += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, position
        shift += 7
        if shift > 63:
            raise DecodeError('varint longer than 10 bytes')


def _skip(data: memoryview, position: int, wire_type: int, end: int) -> int:
    if wire_type == VARINT:
        return _read_varint(data, position)[1]
    if wire_type == FIXED64:
        return position + 8
    if wire_type == FIXED32:
        return position + 4
    if wire_type == LENGTH:
        length, position = _read_varint(data, position)
        return position + length
    raise DecodeError(f'unsupported wire type {wire_type}')


def _scalar(kind: str, value: int) -> Any:
    if kind in _SIGNED and value >= 1 << 63:
        value -= 1 << 64
    return bool(value) if kind == 'bool' else value


def _decode(message: Message, data: memoryview, position: int, end: int) -> None:
    object.__setattr__(message, '_present', True)
    values = message._values
    by_number = message._BY_NUMBER
    while position < end:
        key, position = _read_varint(data, position)
        number, wire_type = key >> 3, key & 7
        entry = by_number.get(number)
        if entry is None:
            position = _skip(data, position, wire_type, end)
            continue
        name, f = entry
        if wire_type == LENGTH:
            length, position = _read_varint(data, position)
            stop = position + length
            if stop > end:
                raise DecodeError(f'{type(message).__name__}.{name}: truncated field')
            payload = data[position:stop]
            position = stop
            if f.is_message:
                child = getattr(message, name).add() if f.repeated else getattr(message, name)
                _decode(child, data, stop - length, stop)
            elif f.kind in ('string', 'bytes'):
                value = payload.tobytes()
                value = value.decode('utf-8') if f.kind == 'string' else value
                if f.repeated:
                    getattr(message, name).append(value)
                else:
                    values[name] = value
            elif f.repeated:
                _merge_packed(getattr(message, name), f, payload)
            else:
                raise DecodeError(f'{type(message).__name__}.{name}: wire type {wire_type} for '
                                  f'a {f.kind} field')
        else:
            dtype = _KINDS.get(f.kind, (None, None))[1] if not f.is_message else None
            if wire_type == VARINT and dtype is None and not f.is_message:
                raw, position = _read_varint(data, position)
                value = _scalar(f.kind, raw)
            elif wire_type in (FIXED32, FIXED64) and dtype is not None:
                size = 4 if wire_type == FIXED32 else 8
                value = struct.unpack_from('<f' if size == 4 else '<d', data, position)[0]
                position += size
            else:
                raise DecodeError(f'{type(message).__name__}.{name}: wire type {wire_type} for '
                                  f'a {getattr(f.kind, "__name__", f.kind)} field')
            if f.repeated:
                getattr(message, name).append(value)
            else:
                values[name] = value
    if position != end:
        raise DecodeError(f'{type(message).__name__}: field runs past the end of the message')


def _merge_packed(container: RepeatedScalar, f: Field, payload: memoryview) -> None:
    dtype = _KINDS[f.kind][1]
    if dtype is not None:
        if len(payload) % numpy.dtype(dtype).itemsize:
            raise DecodeError(f'packed {f.kind} data of {len(payload)} bytes')
        array = numpy.frombuffer(payload, dtype).astype(dtype[1:], copy=True)
        if len(container):
            array = numpy.concatenate([numpy.asarray(container), array])
        container._values = array
        return
    position, values = 0, []
    while position < len(payload):
        raw, position = _read_varint(payload, position)
        values.append(_scalar(f.kind, raw))
    container.extend(values)


def _varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _scalar_bytes(kind: str, values: Any) -> bytes:
    dtype = _KINDS[kind][1]
    if dtype is not None:
        return numpy.asarray(values, dtype).tobytes()
    if kind in ('string', 'bytes'):
        raise TypeError('string values are not packed')
    return b''.join(_varint(int(v)) for v in values)


def _encode(message: Message, out: bytearray) -> None:
    values = message._values
    for name, f in sorted(message.FIELDS.items(), key=lambda item: item[1].number):
        if name not in values:
            continue
        value = values[name]
        if f.is_message:
            for child in (value if f.repeated else [value] if value._is_set() else []):
                payload = child.SerializeToString()
                out += _varint(f.number << 3 | LENGTH) + _varint(len(payload)) + payload
        elif f.kind in ('string', 'bytes'):
            for item in (value if f.repeated else [value]):
                payload = item.encode('utf-8') if f.kind == 'string' else item
                out += _varint(f.number << 3 | LENGTH) + _varint(len(payload)) + payload
        elif f.repeated and f.packed:
            if len(value):
                payload = _scalar_bytes(f.kind, numpy.asarray(value) if _KINDS[f.kind][1]
                                        else list(value))
                out += _varint(f.number << 3 | LENGTH) + _varint(len(payload)) + payload
        else:
            key = _varint(f.number << 3 | _KINDS[f.kind][0])
            for item in (value if f.repeated else [value]):
                out += key + _scalar_bytes(f.kind, [item])


# -- text format ------------------------------------------------------------------------------

def _text_value(f: Field, value: Any) -> str:
    if f.kind == 'bool':
        return 'true' if value else 'false'
    if f.kind in ('string', 'bytes'):
        text = value if isinstance(value, str) else value.decode('latin-1')
        return '"' + text.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'
    if f.enum is not None:
        names = {number: enum_name for enum_name, number in f.enum.items()}
        return names.get(value, str(value))
    if f.kind == 'float':
        return str(numpy.float32(value))  # the shortest text that reads back as the float32
    if f.kind == 'double':
        return repr(float(value))
    return str(value)


def to_text(message: Message, skip: Iterable[str] = (), inline: bool = False,
            indent: int = 0) -> str:
    """``message`` in protobuf's text format (as Caffe's ``.prototxt`` files).

    Args:
        message: The message.
        skip: Names of fields left out at every level (``('blobs',)`` for a net
            definition without its weights).
        inline: One line instead of one field per line.
        indent: Spaces before each line.
    """
    skip = tuple(skip)
    lines = []
    values = message._values
    for name, f in sorted(message.FIELDS.items(), key=lambda item: item[1].number):
        if name in skip or name not in values:
            continue
        value = values[name]
        items = list(value) if f.repeated else [value]
        for item in items:
            if f.is_message:
                if not f.repeated and not item._is_set():
                    continue
                body = to_text(item, skip, inline, indent + 2)
                lines.append(f'{name} {{ {body} }}' if inline else
                             f'{" " * indent}{name} {{\n{body}{" " * indent}}}\n')
            else:
                line = f'{name}: {_text_value(f, item)}'
                lines.append(line if inline else f'{" " * indent}{line}\n')
    return ' '.join(lines) if inline else ''.join(lines)
