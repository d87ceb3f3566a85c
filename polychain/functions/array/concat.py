"""concat and split_axis, each the other's gradient."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.configuration import config
from polychain.function_node import FunctionNode
from polychain.utils.axes import normalize_axis
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


class Concat(FunctionNode):
    """Joins arrays along an existing axis."""

    check_type_on_failure = True

    def __init__(self, axis: int) -> None:
        self.axis = axis

    def check_type_forward(self, in_types):
        first = in_types[0]
        axis = normalize_axis(self.axis, first.ndim, 'concat')
        for i, t in enumerate(in_types[1:], 1):
            same = t.ndim == first.ndim and all(
                a == b for d, (a, b) in enumerate(zip(t.shape, first.shape)) if d != axis)
            if not same or t.dtype != first.dtype:
                raise InvalidType(f'xs[{i}] of the shape and dtype of xs[0] except along axis '
                                  f'{self.axis}', f'xs[0]: {first.shape} {first.dtype}, '
                                  f'xs[{i}]: {t.shape} {t.dtype}')

    def forward(self, inputs):
        dtype = inputs[0].dtype
        if config.type_check and any(x.dtype != dtype for x in inputs):
            # The type check names them; the Array API would promote, and a float32
            # parameter would get a float64 gradient.
            raise TypeError(f'concat: expected inputs of one dtype, received '
                            f'{[str(x.dtype) for x in inputs]}')
        axis = normalize_axis(self.axis, inputs[0].ndim, 'concat')
        self._axis = axis
        self._sizes = [x.shape[axis] for x in inputs]
        return self.xp.concat(inputs, axis=axis),

    def backward(self, indexes, grad_outputs):
        points = []
        total = 0
        for n in self._sizes[:-1]:
            total += n
            points.append(total)
        return split_axis(grad_outputs[0], points, self._axis, force_tuple=True)


class SplitAxis(FunctionNode):
    """Splits an array into pieces along one axis."""

    def __init__(self, points: Sequence[int], axis: int) -> None:
        self.points = points
        self.axis = axis

    def forward(self, inputs):
        x, = inputs
        self._in_shape = tuple(x.shape)
        self._dtype = x.dtype
        lead = (slice(None),) * self.axis
        bounds = [0, *self.points, x.shape[self.axis]]
        return tuple(x[lead + (slice(start, stop), Ellipsis)]
                     for start, stop in zip(bounds, bounds[1:]))

    def backward(self, indexes, grad_outputs):
        gys = []
        for gy, start, stop in zip(grad_outputs, [0, *self.points],
                                   [*self.points, self._in_shape[self.axis]]):
            if gy is None:
                shape = list(self._in_shape)
                shape[self.axis] = max(0, min(stop, shape[self.axis]) - start)
                gy = Variable(self.xp.zeros(tuple(shape), dtype=self._dtype,
                                            device=self.device.native), requires_grad=False)
            gys.append(gy)
        return concat(gys, self.axis),


def concat(xs: Sequence[Any], axis: int = 1) -> Variable:
    """Concatenates variables along an axis.

    Args:
        xs: Input variables or arrays of equal shapes except along ``axis``.
        axis: The axis to join them along.
    """
    xs = tuple(xs)
    if not xs:
        raise ValueError('concat: expected at least one input in xs, received none')
    return Concat(axis).apply(xs)[0]


def _split_points(indices_or_sections: Any, size: int) -> list[int]:
    if isinstance(indices_or_sections, int) and not isinstance(indices_or_sections, bool):
        sections = indices_or_sections
        if sections <= 0 or size % sections:
            raise ValueError(f'split_axis: expected a number of sections that divides the axis '
                             f'of length {size}, received indices_or_sections={sections}')
        step = size // sections
        return list(range(step, size, step))
    points = [int(i) for i in indices_or_sections]
    if any(b < a for a, b in zip(points, points[1:])):
        raise ValueError(f'split_axis: expected non-decreasing indices, received {points}')
    return [min(max(p, 0), size) for p in points]


def split_axis(x: Any, indices_or_sections: Any, axis: int,
               force_tuple: bool = True) -> tuple[Variable, ...] | Variable:
    """Splits ``x`` along ``axis`` (NumPy's ``split``).

    Args:
        x: Input variable or array.
        indices_or_sections: The number of equal pieces, or the sorted indices
            where the axis is cut.
        axis: The axis to split.
        force_tuple: Return a tuple even when there is one piece; when false,
            a single piece is returned as a Variable.
    """
    axis = normalize_axis(axis, x.ndim, 'split_axis')
    points = _split_points(indices_or_sections, x.shape[axis])
    ys = SplitAxis(points, axis).apply((x,))
    if not force_tuple and len(ys) == 1:
        return ys[0]
    return ys
