"""Base of the activations that are linear between kinks (leaky_relu, clipped_relu, ...)."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode


class PiecewiseLinear(FunctionNode):
    """A function whose derivative is a constant on each piece.

    Subclasses implement ``forward`` and :meth:`slope`; backward multiplies
    the output gradient by the slope at the retained input, a constant, so
    every higher derivative is zero and double backprop comes for free.
    """

    _retain_input_indexes = (0,)

    def slope(self, x: Any) -> Any:
        """The derivative at each element of the input array ``x``, in its dtype."""
        raise NotImplementedError(f'{self.label} must implement slope(x)')

    def backward(self, indexes, grad_outputs):
        return grad_outputs[0] * self.slope(self._retained_input_data[0]),

    def mask(self, condition: Any, dtype: Any) -> Any:
        """``condition`` as 0/1 in ``dtype``."""
        return self.xp.astype(condition, dtype)
