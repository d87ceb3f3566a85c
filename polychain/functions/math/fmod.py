"""fmod: the remainder of a division that rounds towards zero."""

from __future__ import annotations

from typing import Any

from polychain.functions.math.basic_math import _BroadcastingBinary
from polychain.variable import Variable


def _fmod(xp: Any, x: Any, divisor: Any) -> Any:
    """C's ``fmod``: the remainder of the magnitudes (exact), with the sign of ``x``."""
    r = xp.remainder(xp.abs(x), xp.abs(divisor))
    return xp.where(x < 0, -r, r)


class Fmod(_BroadcastingBinary):
    _retain_input_indexes = (0, 1)

    def forward(self, inputs):
        xp = self.xp
        self.operator = lambda x, divisor: _fmod(xp, x, divisor)
        return super().forward(inputs)

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        x, divisor = self.get_retained_inputs()
        grads = []
        for i in indexes:
            if i == 0:
                grads.append(self._reduce(gy, 0))
            else:
                quotient = self.xp.trunc(x.array / divisor.array)
                grads.append(self._reduce(gy * -quotient, 1))
        return tuple(grads)


def fmod(x: Any, divisor: Any) -> Variable:
    """Elementwise remainder of ``x / divisor`` with the sign of ``x`` (C's ``fmod``).

    Args:
        x: Dividend variable or array.
        divisor: Divisor variable or array, broadcastable with ``x`` and of its dtype.
    """
    return Fmod().apply((x, divisor))[0]
