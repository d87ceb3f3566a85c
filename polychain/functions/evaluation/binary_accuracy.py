"""binary_accuracy: accuracy of logits against 0/1 labels."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.evaluation.accuracy import fraction_correct
from polychain.functions.evaluation.without_gradient import apply_without_gradient
from polychain.functions.loss.input_checks import expect_integer
from polychain.utils.type_check import InvalidType, expect_float
from polychain.variable import Variable


class BinaryAccuracy(FunctionNode):
    """Mean of ``(y >= 0) == t`` over the labels that are not -1."""

    ignore_label = -1

    def check_type_forward(self, in_types):
        y, t = in_types
        expect_float(self.xp, y, 'y')
        expect_integer(self.xp, t, 't')
        if y.shape != t.shape:
            raise InvalidType('y.shape == t.shape', f'y.shape == {y.shape}, t.shape == {t.shape}')

    def forward(self, inputs):
        xp = self.xp
        y, t = inputs
        correct = xp.astype(y >= 0, t.dtype) == t
        return fraction_correct(xp, correct, t != self.ignore_label, y.dtype),


def binary_accuracy(y: Any, t: Any) -> Variable:
    """Binary classification accuracy of logits.

    A score ``y >= 0`` predicts 1, a negative score 0. Labels equal to -1 are
    left out; with no label left the accuracy is 0. The function has no gradient.

    Args:
        y: Logits, floating dtype.
        t: Integer labels 0, 1 or -1, of ``y``'s shape.

    Returns:
        A scalar variable of ``y``'s dtype.
    """
    return apply_without_gradient(BinaryAccuracy(), (y, t))[0]
