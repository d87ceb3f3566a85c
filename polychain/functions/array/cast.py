"""cast: converts the dtype of a variable."""

from __future__ import annotations

from typing import Any

from polychain.backend import get_device_from_array
from polychain.configuration import config
from polychain.function_node import FunctionNode
from polychain.utils.dtypes import namespace_dtype
from polychain.variable import Variable, as_variable


class Cast(FunctionNode):
    """Casts an array to a dtype; the gradient is cast back to the input's dtype."""

    def __init__(self, dtype: Any) -> None:
        self.dtype = dtype

    def forward(self, inputs):
        x, = inputs
        self._in_dtype = x.dtype
        return self.xp.astype(x, namespace_dtype(self.xp, self.dtype)),

    def backward(self, indexes, grad_outputs):
        return Cast(self._in_dtype).apply(grad_outputs)


def cast(x: Any, typ: Any) -> Variable:
    """Casts ``x`` to the dtype ``typ``.

    Args:
        x: Input variable or array.
        typ: The target dtype: a name such as ``'float16'``, a NumPy dtype or
            scalar type, or a dtype of the input's backend.
    """
    if _same_dtype(x, typ):
        # A no-op cast records no node unless backprop may need one.
        if not isinstance(x, Variable):
            return as_variable(x)
        if not config.enable_backprop:
            return x
    return Cast(typ).apply((x,))[0]


def _same_dtype(x: Any, typ: Any) -> bool:
    device = x.device if isinstance(x, Variable) else get_device_from_array(x)
    return device is not None and x.dtype == namespace_dtype(device.namespace, typ)
