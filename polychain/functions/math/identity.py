"""identity: passes Variables through as new nodes of the graph."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.variable import Variable


class Identity(FunctionNode):
    """Passes its inputs through unchanged."""

    def forward(self, inputs):
        return tuple(inputs)

    def backward(self, indexes, grad_outputs):
        return tuple([grad_outputs[i] for i in indexes])


def identity(*inputs: Any) -> Variable | tuple[Variable, ...]:
    """Returns the inputs as new Variables of the graph (a tuple when there are several).

    Args:
        inputs: Variables or arrays.
    """
    outputs = Identity().apply(inputs)
    return outputs[0] if len(outputs) == 1 else outputs
