"""Nested arguments and results as flat lists of arrays plus a hashable structure.

Arrays and Variables are leaves; tuples, lists and dicts are walked; any
other value is part of the structure (a compiled function is traced again
when it changes).
"""

from __future__ import annotations

from typing import Any

from polychain.variable import Variable


def is_array(value: Any) -> bool:
    """Whether ``value`` is an array (not a Variable, nor a Python or NumPy scalar)."""
    return hasattr(value, 'shape') and hasattr(value, 'dtype') and hasattr(value, 'ndim') \
        and not isinstance(value, (int, float, complex, bool, Variable))


def flatten(value: Any, leaves: list[Any]) -> Any:
    """Appends the arrays of ``value`` to ``leaves`` and returns its structure.

    The structure is hashable and holds each array's shape and dtype, so that
    two values with one structure can share a compiled program.
    """
    if isinstance(value, Variable):
        leaves.append(value.array)
        return ('variable', value.requires_grad, _aval(value.array))
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(flatten(item, leaves) for item in value))
    if isinstance(value, dict):
        return ('dict', tuple((key, flatten(value[key], leaves)) for key in value))
    if is_array(value):
        leaves.append(value)
        return ('array', _aval(value))
    return ('static', freeze(value))


def leaf_objects(value: Any) -> list[Any]:
    """The leaves of ``value`` as they are (Variables stay Variables), in :func:`flatten`'s
    order."""
    if isinstance(value, Variable) or is_array(value):
        return [value]
    if isinstance(value, (tuple, list)):
        return [leaf for item in value for leaf in leaf_objects(item)]
    if isinstance(value, dict):
        return [leaf for key in value for leaf in leaf_objects(value[key])]
    return []


def unflatten(structure: Any, leaves: list[Any], position: int = 0) -> tuple[Any, int]:
    """The value of ``structure`` built from ``leaves[position:]``, and the next position."""
    kind = structure[0]
    if kind == 'variable':
        leaf = leaves[position]
        if not isinstance(leaf, Variable):
            leaf = Variable(leaf, requires_grad=structure[1])
        return leaf, position + 1
    if kind == 'array':
        return leaves[position], position + 1
    if kind in ('tuple', 'list'):
        items = []
        for item in structure[1]:
            value, position = unflatten(item, leaves, position)
            items.append(value)
        return (tuple(items) if kind == 'tuple' else items), position
    if kind == 'dict':
        entries = {}
        for key, item in structure[1]:
            entries[key], position = unflatten(item, leaves, position)
        return entries, position
    return thaw(structure[1]), position


def _aval(array: Any) -> tuple:
    return tuple(array.shape), array.dtype


class _Opaque:
    """An unhashable static value, compared by identity."""

    __slots__ = ('value',)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Opaque) and other.value is self.value

    def __hash__(self) -> int:
        return id(self.value)


def freeze(value: Any) -> Any:
    """A hashable stand-in for ``value``: itself with its type, or its identity."""
    try:
        hash(value)
    except TypeError:
        return _Opaque(value)
    return (type(value), value)


def thaw(frozen: Any) -> Any:
    """The value :func:`freeze` stands in for."""
    return frozen.value if isinstance(frozen, _Opaque) else frozen[1]
