"""pad (constant mode) and pad_sequence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy

from polychain.function_node import FunctionNode
from polychain.functions.array.get_item import get_item
from polychain.functions.array.stack import stack
from polychain.utils.windows import pad_constant
from polychain.variable import Variable


class Pad(FunctionNode):
    """Surrounds an array with a constant; the gradient is the inner slice."""

    def __init__(self, pad_width: tuple[tuple[int, int], ...],
                 value: float | tuple[tuple[float, float], ...]) -> None:
        self.pad_width = pad_width
        self.value = value

    def forward(self, inputs):
        x, = inputs
        self._in_shape = tuple(x.shape)
        return pad_constant(self.device, x, self.pad_width, self.value),

    def backward(self, indexes, grad_outputs):
        inner = tuple(slice(before, before + n)
                      for (before, _), n in zip(self.pad_width, self._in_shape))
        return get_item(grad_outputs[0], inner),


def _pad_width(pad_width: Any, ndim: int) -> tuple[tuple[int, int], ...]:
    """NumPy's ``pad_width`` forms (an int, a pair, one pair per axis) as one pair per axis."""
    try:
        widths = numpy.broadcast_to(numpy.asarray(pad_width), (ndim, 2))
    except ValueError:
        raise ValueError(f'pad: expected pad_width as an int, a (before, after) pair or one pair '
                         f'per axis of the {ndim} axes, received {pad_width!r}') from None
    if not numpy.issubdtype(widths.dtype, numpy.integer) or (widths < 0).any():
        raise ValueError(f'pad: expected non-negative integers in pad_width, received '
                         f'{pad_width!r}')
    return tuple((int(before), int(after)) for before, after in widths)


def pad(x: Any, pad_width: Any, mode: str, **keywords: Any) -> Variable:
    """Pads ``x`` with a constant (NumPy's ``pad`` in ``'constant'`` mode).

    Args:
        x: Input variable or array.
        pad_width: Number of values added before and after each axis: an int,
            a ``(before, after)`` pair, or one pair per axis.
        mode: ``'constant'`` (the only mode supported).
        keywords: ``constant_values``: the padding value (default 0): a
            number, a ``(before, after)`` pair, or one pair per axis.
    """
    if mode != 'constant':
        raise ValueError(f"pad: expected mode 'constant', received mode={mode!r}")
    unknown = sorted(set(keywords) - {'constant_values'})
    if unknown:
        raise TypeError(f'pad: expected only constant_values as a keyword, received {unknown}')
    value = keywords.get('constant_values', 0)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        value = _constant_values(value, x.ndim)
    return Pad(_pad_width(pad_width, x.ndim), value).apply((x,))[0]


def _constant_values(values: Any, ndim: int) -> tuple[tuple[float, float], ...]:
    """NumPy's ``constant_values`` forms (a scalar, a pair, one pair per axis) per axis."""
    try:
        pairs = numpy.broadcast_to(numpy.asarray(values), (ndim, 2))
    except ValueError:
        pairs = None
    if pairs is None or pairs.dtype.kind not in 'iuf':
        raise TypeError(f'pad: expected constant_values as a number, a (before, after) pair or '
                        f'one pair per axis of the {ndim} axes, received {values!r}')
    return tuple(tuple(pair) for pair in pairs.tolist())


def pad_sequence(xs: Sequence[Any], length: int | None = None,
                 padding: float = 0) -> Variable:
    """Stacks sequences of different lengths into one padded batch.

    Args:
        xs: Variables or arrays of shapes ``(L_i, ...)`` with equal trailing shapes.
        length: The length of the output's second axis (default: the longest
            ``L_i``); it must not be shorter than any sequence.
        padding: The value of the padding.

    Returns:
        A Variable of shape ``(len(xs), length, ...)``.
    """
    xs = tuple(xs)
    if not xs:
        raise ValueError('pad_sequence: expected at least one sequence in xs, received none')
    longest = max(x.shape[0] for x in xs)
    if length is None:
        length = longest
    elif length < longest:
        raise ValueError(f'pad_sequence: expected a length of at least the longest sequence '
                         f'({longest}), received length={length}')
    padded = [pad(x, ((0, length - x.shape[0]),) + ((0, 0),) * (x.ndim - 1), 'constant',
                  constant_values=padding) for x in xs]
    return stack(padded)
