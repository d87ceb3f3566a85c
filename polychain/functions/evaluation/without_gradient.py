"""Running evaluation functions, which have no gradient, outside the graph."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.loss.input_checks import expect_integer
from polychain.utils.type_check import InvalidType, TypeInfo, expect_float
from polychain.variable import Variable


def apply_without_gradient(node: FunctionNode, inputs: Sequence[Any]) -> tuple[Variable, ...]:
    """Applies ``node`` to the arrays of ``inputs``: the outputs hold no graph."""
    return node.apply(tuple(x.array if isinstance(x, Variable) else x for x in inputs))


def expect_scores_and_labels(xp: Any, y: TypeInfo, t: TypeInfo) -> None:
    """Raises InvalidType unless ``y`` scores the classes (axis 1) of the labels ``t``.

    ``y`` is ``(N, C, d1, ..., dk, 1, ...)`` for ``t`` of shape ``(N, d1, ..., dk)``.
    """
    expect_float(xp, y, 'y')
    expect_integer(xp, t, 't')
    n = t.ndim
    if y.ndim < max(n, 2) or y.shape[:1] != t.shape[:1] or y.shape[2:n + 1] != t.shape[1:] \
            or any(d != 1 for d in y.shape[n + 1:]):
        raise InvalidType('y.shape[0] == t.shape[0], y.shape[2:t.ndim + 1] == t.shape[1:] '
                          'and the remaining axes of y of length 1 (classes on axis 1)',
                          f'y.shape == {y.shape}, t.shape == {t.shape}')


class ScoresAndLabelsFunction(FunctionNode):
    """Base of the evaluation functions of class scores ``y`` (classes on axis 1) and labels ``t``.

    Its type check is :func:`expect_scores_and_labels`.
    """

    def check_type_forward(self, in_types):
        expect_scores_and_labels(self.xp, *in_types)
