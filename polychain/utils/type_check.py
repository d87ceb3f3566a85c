"""Type checks of function inputs: Chainer's ``type_check`` language and readable errors.

``FunctionNode.check_type_forward(in_types)`` receives a :class:`LightTypeInfoTuple`
of :class:`TypeInfo` (``shape``, ``dtype``, ``ndim``, ``size``). A check may
raise :class:`InvalidType` itself or state its conditions with Chainer's
language::

    type_check.expect(in_types.size() == 2, in_types[0].ndim == 2,
                      in_types[0].dtype == numpy.float32)

The check first runs on plain values, which is cheap; when a condition
fails it runs again on expressions (a :class:`TypeInfoTuple`), so the error reads
``Expect: in_types[0].ndim == 2`` / ``Actual: 3 != 2``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from polychain.backend.registry import get_device_from_array
from polychain.utils.array import size_of_shape
from polychain.utils.dtypes import is_float
from polychain.utils.type_expressions import (
    Atom,
    BinaryOperator,
    BoolBinaryOperator,
    Call,
    Constant,
    Expr,
    GetAttr,
    GetItem,
    InvalidType,
    Testable,
    UnaryOperator,
    Variable,
    _repr,
)


class TypeInfo(NamedTuple):
    """Shape and dtype of one input, as seen by ``check_type_forward``."""

    shape: tuple[int, ...]
    dtype: Any

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        size = 1
        for n in self.shape:
            size *= n
        return size


class LightTypeInfoTuple(tuple):
    """The :class:`TypeInfo` of every input, as ``check_type_forward`` first receives them.

    A tuple of plain values (index it, unpack it, take its ``len``) with
    Chainer's :meth:`size`; conditions on it are plain booleans.
    """

    def size(self) -> int:
        """The number of inputs."""
        return len(self)


class TypeInfoTuple(tuple):
    """The type information of every input as expressions named ``in_types[i]``.

    Built by :func:`get_types`; conditions on its items are expressions that
    print themselves in error messages.
    """

    #: How the tuple is named in error messages.
    name = 'in_types'

    def size(self) -> Variable:
        """The number of inputs, as an expression."""
        return Variable(len(self), f'{self.name}.size')


def get_types(data: Sequence[Any], name: str = 'in_types',
              accept_none: bool = False) -> TypeInfoTuple:
    """Type information of arrays as expressions named ``name[0]``, ``name[1]``, ...

    Args:
        data: The arrays (anything with ``shape`` and ``dtype``).
        name: The name of the tuple in error messages.
        accept_none: Whether ``None`` entries are allowed (they get shape
            ``()`` and dtype ``None``).

    Returns:
        A :class:`TypeInfoTuple` of :class:`~polychain.utils.type_check.Variable`
        expressions wrapping a :class:`TypeInfo` each.

    Raises:
        AssertionError: ``data`` is not a tuple or a list (as in Chainer).
    """
    if not isinstance(data, (tuple, list)):
        raise AssertionError(f'get_types: expected a tuple of arrays, received '
                             f'{type(data).__name__}')
    infos = []
    for i, array in enumerate(data):
        if array is None:
            if not accept_none:
                raise TypeError(f'get_types: expected arrays in {name}, received None at '
                                f'index {i}')
            info = TypeInfo((), None)
        else:
            info = TypeInfo(tuple(array.shape), array.dtype)
        infos.append(Variable(info, f'{name}[{i}]'))
    types = TypeInfoTuple(infos)
    types.name = name
    return types


def get_light_types(data: Sequence[Any]) -> LightTypeInfoTuple:
    """Type information of arrays as plain :class:`TypeInfo` values (no expressions)."""
    return LightTypeInfoTuple([TypeInfo(tuple(a.shape), a.dtype) for a in data])


class _UnexplainedFailure(InvalidType):
    """A condition given to :func:`expect` as a plain ``False``: rerun on expressions."""


def expect(*bool_exprs: Any) -> None:
    """Checks every condition; raises :class:`InvalidType` at the first that fails.

    Args:
        bool_exprs: Comparisons of type information (``in_types[0].ndim == 2``),
            as expressions or as plain booleans.

    Raises:
        InvalidType: A condition is false; the message shows the condition and
            the values compared.
    """
    for position, condition in enumerate(bool_exprs):
        if isinstance(condition, Testable):
            condition.expect()
        elif isinstance(condition, Expr):
            if not condition.eval():
                raise InvalidType(str(condition), 'False')
        elif not condition:
            raise _UnexplainedFailure(f'condition {position} given to type_check.expect holds',
                                      'it is False')


def eval(exp: Any) -> Any:  # Chainer's name, shadowing the builtin in this module
    """The value of an expression; other values are returned as they are."""
    return exp.eval() if isinstance(exp, Expr) else exp


def make_variable(value: Any, name: str) -> Variable:
    """An expression standing for ``value`` and printed as ``name``."""
    return Variable(value, name)


#: ``prod(x_type.shape[1:])`` in a condition: the product of a shape's entries.
prod = Variable(size_of_shape, 'prod')


def argname(in_types: Sequence[Any], names: Sequence[str]) -> None:
    """Names the inputs in error messages (``x`` instead of ``in_types[0]``).

    Args:
        in_types: The tuple given to ``check_type_forward``.
        names: One name per input.

    Raises:
        InvalidType: The number of inputs differs from the number of names.
    """
    if not isinstance(in_types, tuple):
        raise TypeError(f'argname: expected the in_types tuple, received '
                        f'{type(in_types).__name__}')
    if len(in_types) != len(names):
        raise InvalidType(f'{len(names)} argument(s): {", ".join(names)}',
                          f'{len(in_types)} argument(s)')
    for in_type, name in zip(in_types, names):
        if isinstance(in_type, Variable):
            in_type.name = name


# Chainer's own functions spell it with an underscore.
_argname = argname


class _CheckState(threading.local):
    """Per thread: whether checks see plain values, and the states that blocks replaced."""

    def __init__(self) -> None:
        self.light = True
        self.saved: list[bool] = []


_state = _CheckState()


class LightMode:
    """A block in which type checks see plain values (Chainer's ``light_mode``).

    Checks run on plain values unless they are being rerun on expressions to
    explain a failure, so this is the usual state; use the ``light_mode``
    instance.
    """

    _light = True

    def __enter__(self) -> None:
        _state.saved.append(_state.light)
        _state.light = self._light

    def __exit__(self, *exc_info: Any) -> None:
        _state.light = _state.saved.pop()


class _ExpressionMode(LightMode):
    """The block of the rerun on expressions that explains a failed check."""

    _light = False


light_mode = LightMode()
_expression_mode = _ExpressionMode()


def in_light_mode() -> bool:
    """Whether type checks see plain values (``False`` while a failure is being explained)."""
    return _state.light


@contextlib.contextmanager
def get_function_check_context(function: Any) -> Iterator[None]:
    """A block whose :class:`InvalidType` errors name ``function`` (by its ``label``)."""
    try:
        yield
    except InvalidType as error:
        if error.function_name is None:
            error.set_function(getattr(function, 'label', type(function).__name__))
        raise


def check_types(check_type_forward: Callable[[TypeInfoTuple], None],
                arrays: Sequence[Any]) -> None:
    """Runs ``check_type_forward`` on the types of ``arrays``.

    The check runs on plain values first; when :func:`expect` rejects a plain
    ``False`` it runs again on expressions to explain which condition failed.

    Raises:
        InvalidType: The check rejected the arrays.
    """
    try:
        check_type_forward(get_light_types(arrays))
    except _UnexplainedFailure as failure:
        try:
            with _expression_mode:
                check_type_forward(get_types(arrays))
        except InvalidType as explained:
            raise explained from None
        except Exception:  # a check written for plain values only: keep the first error
            raise failure from None
        raise failure from None


def expect_count(in_types: tuple[TypeInfo, ...], counts: int | tuple[int, ...],
                 names: str = 'inputs') -> None:
    """Checks the number of inputs."""
    allowed = counts if isinstance(counts, tuple) else (counts,)
    if len(in_types) not in allowed:
        expected = ' or '.join(str(c) for c in allowed)
        raise InvalidType(f'{expected} {names}', f'{len(in_types)} {names}')


def expect_float(xp: Any, info: TypeInfo, name: str) -> None:
    """Checks that input ``name`` has a real floating dtype of the namespace ``xp``."""
    if not is_float(xp, info.dtype):
        raise InvalidType(f'{name}.dtype.kind == "f"', f'{name}.dtype == {info.dtype}')


def expect_same_dtype(a: TypeInfo, b: TypeInfo, names: tuple[str, str]) -> None:
    """Checks that two inputs share a dtype."""
    if a.dtype != b.dtype:
        raise InvalidType(f'{names[0]}.dtype == {names[1]}.dtype', f'{a.dtype} != {b.dtype}')


def broadcast_shapes(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
    """The broadcast shape of ``a`` and ``b``, or ``None`` when they do not broadcast."""
    result = []
    for m, n in zip(reversed((1,) * (len(b) - len(a)) + tuple(a)),
                    reversed((1,) * (len(a) - len(b)) + tuple(b))):
        if m != n and m != 1 and n != 1:
            return None
        result.append(max(m, n) if m and n else 0)
    return tuple(reversed(result))


def expect_broadcastable(a: TypeInfo, b: TypeInfo, names: tuple[str, str] = ('x', 'y')) -> None:
    """Checks that two input shapes broadcast together."""
    if broadcast_shapes(a.shape, b.shape) is None:
        raise InvalidType(f'{names[0]}.shape and {names[1]}.shape broadcast together',
                          f'{names[0]}.shape == {a.shape}, {names[1]}.shape == {b.shape}')


def expect_broadcast_shapes(*shape_types: Any) -> None:
    """Checks that shapes (tuples, or expressions such as ``x_type.shape``) broadcast together.

    Raises:
        InvalidType: They do not.
    """
    shapes = [tuple(eval(shape)) for shape in shape_types]
    result: tuple[int, ...] | None = ()
    for shape in shapes:
        result = broadcast_shapes(result, shape)
        if result is None:
            names = ', '.join(_repr(shape) for shape in shape_types)
            raise InvalidType(f'{names} broadcast together',
                              'shapes ' + ', '.join(map(str, shapes)))


def same_types(*arrays: Any) -> bool:
    """Whether the arrays all belong to one backend (NumPy subclasses count as NumPy)."""
    return len({get_device_from_array(array).backend.name for array in arrays}) <= 1


__all__ = [
    'Atom', 'BinaryOperator', 'BoolBinaryOperator', 'Call', 'Constant', 'Expr', 'GetAttr',
    'GetItem', 'InvalidType', 'LightMode', 'LightTypeInfoTuple', 'Testable', 'TypeInfo',
    'TypeInfoTuple',
    'UnaryOperator', 'Variable', 'argname', 'broadcast_shapes', 'check_types', 'eval', 'expect',
    'expect_broadcast_shapes', 'expect_broadcastable', 'expect_count', 'expect_float',
    'expect_same_dtype', 'get_function_check_context', 'get_light_types', 'get_types',
    'in_light_mode', 'light_mode', 'make_variable', 'prod', 'same_types',
]
