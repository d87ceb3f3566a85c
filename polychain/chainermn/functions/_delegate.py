"""Delegate variables: the scalar placeholders that keep communication in the graph.

A rank that sends (or takes part in a collective without data of its own) gets
a delegate variable back. Backpropagating from it runs the communication of the
backward pass, so that every rank calls its half of each exchange.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain import backend
from polychain.variable import Variable


def dummy_variable(device: Any) -> Variable:
    """A new scalar zero on ``device`` that requires a gradient."""
    xp = device.namespace
    return Variable(xp.zeros((), dtype=xp.float32))


def dummy_array(xp: Any) -> Any:
    """The scalar zero a delegate output holds."""
    return xp.zeros((), dtype=xp.float32)


def device_of(arrays: Sequence[Any]) -> Any:
    """The device of the first array of ``arrays`` (the default device when none)."""
    for array in arrays:
        if array is not None:
            return backend.get_device_from_array(array)
    return backend.get_device('@numpy')


def signature(arrays: Sequence[Any]) -> tuple[tuple[tuple[int, ...], Any], ...]:
    """Shapes and dtypes of ``arrays``, to build zero gradients from later."""
    return tuple((tuple(a.shape), a.dtype) for a in arrays)


def filled(xp: Any, grads: Sequence[Variable | None],
           like: Sequence[tuple[tuple[int, ...], Any]]) -> tuple[Any, ...]:
    """The arrays of ``grads``, zeros (of the shapes in ``like``) where a gradient is None."""
    return tuple(xp.zeros(shape, dtype=dtype) if g is None else g.array
                 for g, (shape, dtype) in zip(grads, like))


def as_array(x: Any) -> Any:
    """The array of a Variable, or ``x`` itself."""
    return x.array if isinstance(x, Variable) else x
