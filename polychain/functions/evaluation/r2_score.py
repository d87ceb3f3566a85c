"""r2_score: the coefficient of determination of a regression."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.evaluation.without_gradient import apply_without_gradient
from polychain.functions.loss.input_checks import expect_same_floats
from polychain.variable import Variable


class R2Score(FunctionNode):
    """``1 - SS_res / SS_tot`` along axis 0 (0 where the targets are constant)."""

    def __init__(self, multioutput: str) -> None:
        self.multioutput = multioutput

    def check_type_forward(self, in_types):
        expect_same_floats(self.xp, in_types, ('pred', 'true'))

    def forward(self, inputs):
        xp = self.xp
        pred, true = inputs
        residual = xp.sum((pred - true) ** 2, axis=0)
        total = xp.sum((true - xp.mean(true, axis=0)) ** 2, axis=0)
        score = xp.where(total == 0, 0.0, 1 - residual / xp.where(total == 0, 1.0, total))
        return (xp.mean(score) if self.multioutput == 'uniform_average' else score),


def r2_score(pred: Any, true: Any, sample_weight: Any = None,
             multioutput: str = 'uniform_average') -> Variable:
    """R^2 (coefficient of determination) of predictions, per output along axis 0.

    An output whose true values are all equal scores 0. The function has no gradient.

    Args:
        pred: Predicted values, floating dtype.
        true: True values, of ``pred``'s shape and dtype.
        sample_weight: Not supported; must be ``None``.
        multioutput: ``'uniform_average'`` for the mean score of all outputs,
            ``'raw_values'`` for the score of each.

    Returns:
        A scalar variable, or one of shape ``pred.shape[1:]`` with ``'raw_values'``.
    """
    if sample_weight is not None:
        raise NotImplementedError('r2_score: sample_weight is not supported; pass None')
    if multioutput not in ('uniform_average', 'raw_values'):
        raise ValueError(f"r2_score: expected multioutput 'uniform_average' or 'raw_values', "
                         f'received {multioutput!r}')
    return apply_without_gradient(R2Score(multioutput), (pred, true))[0]
