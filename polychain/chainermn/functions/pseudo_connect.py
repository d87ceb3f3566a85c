"""pseudo_connect: attaches a delegate variable to Variables of the graph."""

from __future__ import annotations

from typing import Any

from polychain.chainermn.functions import _delegate
from polychain.function_node import FunctionNode
from polychain.variable import Variable


class PseudoConnect(FunctionNode):
    """Outputs its inputs but the first (the delegate), which gets a zero gradient."""

    def forward(self, inputs):
        self._delegate_signature = _delegate.signature(inputs[:1])
        return tuple(inputs[1:])

    def backward(self, indexes, grad_outputs):
        (shape, dtype), = self._delegate_signature
        return (self.xp.zeros(shape, dtype=dtype),) + tuple(grad_outputs)


def pseudo_connect(delegate_variable: Variable | None,
                   *actual_variables: Any) -> tuple[Variable, ...]:
    """``actual_variables`` as new Variables whose backprop also reaches ``delegate_variable``.

    Backpropagating from the outputs runs the backward pass of the delegate's
    graph (typically a :func:`send`), which would otherwise never be reached.
    A ``None`` delegate connects nothing. Returns a tuple of the outputs, one
    per actual variable.
    """
    if delegate_variable is None:
        arrays = [_delegate.as_array(x) for x in actual_variables]
        delegate_variable = _delegate.dummy_array(_delegate.device_of(arrays).namespace)
    return PseudoConnect().apply((delegate_variable,) + actual_variables)
