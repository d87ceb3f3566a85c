"""How optimizer hooks store a new gradient: always as an array of the parameter's device."""

from __future__ import annotations

from typing import Any


def assign_grad(param: Any, grad: Any) -> None:
    """Sets ``param.grad`` to ``grad``, turning a 0-d result the library gave as a scalar
    (NumPy does for 0-d arithmetic) back into an array."""
    device = param.device
    if isinstance(grad, device.scalar_types):
        grad = device.namespace.asarray(grad)
    param.grad = grad
