"""zoneout: keeps random units of a recurrent state at their previous values."""

from __future__ import annotations

from typing import Any

from polychain.configuration import config
from polychain.function_node import FunctionNode
from polychain.functions.loss.input_checks import expect_same_floats
from polychain.functions.noise.masks import as_variable, check_ratio, keep_mask
from polychain.variable import Variable


class Zoneout(FunctionNode):
    """``h`` where a random mask holds (probability ``ratio``), ``x`` elsewhere."""

    def __init__(self, ratio: float) -> None:
        self.ratio = ratio

    def check_type_forward(self, in_types):
        expect_same_floats(self.xp, in_types, ('h', 'x'))

    def forward(self, inputs):
        h, x = inputs
        kept = keep_mask(self.device, tuple(x.shape), x.dtype, self.ratio)
        self.take_x = self.xp.astype(kept, x.dtype)
        return h * (1.0 - self.take_x) + x * self.take_x,

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        return gy * (1.0 - self.take_x), gy * self.take_x

    @property
    def flag_x(self) -> Any:
        """Chainer's name of the mask: 1 where the output took the new value ``x``."""
        return self.take_x

    @property
    def flag_h(self) -> Any:
        """Chainer's name of the complement: 1 where the output kept ``h``."""
        return 1.0 - self.take_x


def zoneout(h: Any, x: Any, ratio: float = .5) -> Variable:
    """Zoneout: each unit keeps its previous value ``h`` with probability ``ratio``.

    During training a unit takes ``h`` with probability ``ratio`` and the new
    value ``x`` otherwise (the mask comes from the device's seeded generator);
    with ``config.train`` off the result is ``x``.

    Args:
        h: The previous state, floating dtype.
        x: The new state, of ``h``'s shape and dtype.
        ratio: The probability of keeping ``h``, in ``[0, 1]``.

    Returns:
        A variable of ``x``'s shape.
    """
    check_ratio('zoneout', ratio, high_inclusive=True)
    if config.train:
        return Zoneout(ratio).apply((h, x))[0]
    return as_variable(x)
