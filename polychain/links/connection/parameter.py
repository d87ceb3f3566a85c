"""The Parameter link: a link holding one parameter, which its call returns."""

from __future__ import annotations

from typing import Any

from polychain.backend.registry import get_device_from_array
from polychain.functions.math.identity import identity
from polychain.link import Link
from polychain.parameter import Parameter as ParameterVariable
from polychain.variable import Variable


class Parameter(Link):
    """Link that just holds a parameter and returns it (Chainer's, deprecated since v1.5).

    The link lives on the device of ``array``.

    Args:
        array: The initial value of the parameter.

    Attributes:
        W (~polychain.Parameter): The parameter.
    """

    def __init__(self, array: Any) -> None:
        super().__init__()
        self.to_device(get_device_from_array(array))
        with self.init_scope():
            self.W = ParameterVariable(array)

    def forward(self, volatile: Any = 'off') -> Variable:
        """A copy of ``W`` in the graph (gradients flow back to ``W``).

        Args:
            volatile: Ignored (Chainer v1's volatility flag, kept for compatibility).
        """
        del volatile
        return identity(self.W)
