"""Bases of elementwise functions of one input."""

from __future__ import annotations

from polychain.function_node import FunctionNode
from polychain.variable import Variable


class UnaryFunction(FunctionNode):
    """``y = f(x)`` elementwise, where ``f`` is the Array API function :attr:`array_function`.

    Subclasses name the function and give its derivative with polychain
    functions in :meth:`derivative` (from the retained input or output), so
    that the gradient can be differentiated again.
    """

    array_function: str = ''

    def forward(self, inputs):
        return getattr(self.xp, self.array_function)(inputs[0]),

    def backward(self, indexes, grad_outputs):
        return grad_outputs[0] * self.derivative(),

    def derivative(self) -> Variable:
        """``f'(x)`` as a Variable attached to the graph."""
        raise NotImplementedError(f'{self.label} must implement derivative()')


class NonDifferentiableUnary(FunctionNode):
    """``y = f(x)`` elementwise for a piecewise-constant ``f``: no gradient reaches ``x``."""

    array_function: str = ''

    def forward(self, inputs):
        return getattr(self.xp, self.array_function)(inputs[0]),

    def backward(self, indexes, grad_outputs):
        return (None,) * len(indexes)
