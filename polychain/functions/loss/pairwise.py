"""Base of the losses of two floating arrays of one shape (a prediction and a target)."""

from __future__ import annotations

from polychain.function_node import FunctionNode
from polychain.functions.loss.input_checks import expect_same_floats


class PairwiseLoss(FunctionNode):
    """Checks that ``x0`` and ``x1`` share a floating dtype and a shape; retains both."""

    _retain_input_indexes = (0, 1)

    def check_type_forward(self, in_types):
        expect_same_floats(self.xp, in_types, ('x0', 'x1'))
