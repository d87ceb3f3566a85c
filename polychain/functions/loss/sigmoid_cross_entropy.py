"""sigmoid_cross_entropy: cross entropy of logits and 0/1 labels."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.activation.sigmoid import sigmoid
from polychain.functions.array._index_range import check_index_range
from polychain.functions.loss.input_checks import check_reduce, expect_integer
from polychain.utils.type_check import InvalidType, expect_float
from polychain.variable import Variable


class SigmoidCrossEntropy(FunctionNode):
    """``-(t log sigmoid(x) + (1 - t) log(1 - sigmoid(x)))``, 0 where ``t == -1``."""

    _retain_input_indexes = (0,)
    ignore_label = -1

    def __init__(self, normalize: bool, reduce: str) -> None:
        self.normalize = normalize
        self.reduce = reduce

    def check_type_forward(self, in_types):
        x, t = in_types
        expect_float(self.xp, x, 'x')
        expect_integer(self.xp, t, 't')
        if x.shape != t.shape:
            raise InvalidType('x.shape == t.shape', f'x.shape == {x.shape}, t.shape == {t.shape}')

    def forward(self, inputs):
        xp = self.xp
        x, t = inputs
        valid = t != self.ignore_label
        check_index_range(xp, t, 2, 'sigmoid_cross_entropy', 'labels', valid)
        counted = xp.astype(valid, x.dtype)
        self.target = xp.astype(t, x.dtype)
        # log(1 + exp(x)) - t x, written so that no exponent is positive.
        loss = (xp.log1p(xp.exp(-xp.abs(x))) - x * (self.target - xp.astype(x >= 0, x.dtype)))
        if self.reduce == 'mean':
            if self.normalize:
                count = xp.maximum(xp.sum(counted), 1.0)
            else:
                count = float(max(x.shape[0], 1)) if x.ndim else 1.0
            counted = counted / count
        self.weight = counted
        loss = loss * counted
        return (xp.sum(loss) if self.reduce == 'mean' else loss),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gx = (sigmoid(x) - self.target) * self.weight * grad_outputs[0]
        return gx, None


def sigmoid_cross_entropy(x: Any, t: Any, normalize: bool = True,
                          reduce: str = 'mean') -> Variable:
    """Cross entropy of logits ``x`` and binary labels ``t``.

    It is computed from the logits directly and stays finite for logits of
    any magnitude.

    Args:
        x: Logits, floating dtype, usually ``(N, ...)``.
        t: Integer labels 0 or 1 of ``x``'s shape; -1 marks a label to ignore.
            Any other label raises :class:`ValueError`.
        normalize: With ``reduce='mean'``, divide by the number of labels that
            are not ignored (``True``) or by the batch size ``x.shape[0]`` (``False``).
        reduce: ``'mean'`` for a scalar loss, ``'no'`` for the loss of each element.

    Returns:
        A scalar variable, or one of ``x``'s shape with ``reduce='no'``.
    """
    check_reduce('sigmoid_cross_entropy', reduce)
    return SigmoidCrossEntropy(normalize, reduce).apply((x, t))[0]
