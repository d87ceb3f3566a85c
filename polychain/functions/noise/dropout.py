"""dropout: zeroes random elements during training and rescales the others."""

from __future__ import annotations

from typing import Any

from polychain.configuration import config
from polychain.function_node import FunctionNode
from polychain.functions.noise.masks import as_variable, check_ratio, keep_mask
from polychain.variable import Variable


class Dropout(FunctionNode):
    """``x * mask`` with ``mask`` 0 or ``1 / (1 - ratio)``, drawn unless given."""

    def __init__(self, ratio: float, mask: Any = None) -> None:
        self.ratio = ratio
        self.mask = mask

    def forward(self, inputs):
        x, = inputs
        if self.mask is None:
            kept = keep_mask(self.device, tuple(x.shape), x.dtype, self.ratio)
            self.mask = self.xp.astype(kept, x.dtype) * (1.0 / (1.0 - self.ratio))
        return x * self.mask,

    def backward(self, indexes, grad_outputs):
        return grad_outputs[0] * self.mask,


def dropout(x: Any, ratio: float = .5, *, mask: Any = None,
            return_mask: bool = False) -> Variable | tuple[Variable, Any]:
    """Drops elements of ``x`` at random with probability ``ratio`` during training.

    The kept elements are scaled by ``1 / (1 - ratio)``, so the expectation
    is unchanged. The mask comes from the device's seeded generator
    (``device.random``). With ``config.train`` off, ``x`` is returned unchanged.

    Args:
        x: Input variable or array, floating dtype.
        ratio: The probability of dropping an element, in ``[0, 1)``.
        mask: The scaled mask to apply (0 or ``1 / (1 - ratio)``, ``x``'s shape
            and dtype, on its device) instead of a random one; ``ratio`` is then
            not used.
        return_mask: Also return the mask applied (``None`` outside training).

    Returns:
        The output variable, or ``(output, mask)`` with ``return_mask``.
    """
    check_ratio('dropout', ratio)
    if config.train:
        node = Dropout(ratio, mask.array if isinstance(mask, Variable) else mask)
        y, = node.apply((x,))
        applied = node.mask
    else:
        y, applied = as_variable(x), None
    return (y, applied) if return_mask else y
