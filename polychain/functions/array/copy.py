"""copy: moves a variable to another device, differentiably."""

from __future__ import annotations

from typing import Any

from polychain.backend import Device, get_device
from polychain.function_node import FunctionNode
from polychain.variable import Variable


class Copy(FunctionNode):
    """Copies an array to a device; the gradient travels back to the source device."""

    def __init__(self, destination: Device) -> None:
        self.destination = destination

    def forward(self, inputs):
        x, = inputs
        self._source = self.device
        return self.destination.send(x),

    def backward(self, indexes, grad_outputs):
        return copy(grad_outputs[0], self._source),


def copy(x: Any, dst: Any) -> Variable:
    """Copies ``x`` onto the device ``dst``.

    When ``x`` already lives there, no copy is made and the result holds the
    same array.

    Args:
        x: Input variable or array.
        dst: Target device: a specifier such as ``'@numpy'`` or ``'@jax:cpu:0'``,
            a :class:`~polychain.backend.Device`, or Chainer's integer (``-1``
            for NumPy, ``n >= 0`` for CuPy device ``n``).
    """
    destination = get_device(dst)
    y = Copy(destination).apply((x,))[0]
    # apply() labels outputs with the input's device; this one lives on the destination.
    return y.to_device(destination)
