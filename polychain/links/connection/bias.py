"""The bias layer: adds a learned or given bias along some axes."""

from __future__ import annotations

from typing import Any

from polychain.functions.math.combination import bias
from polychain.link import Link
from polychain.links.errors import LinkArgumentError
from polychain.parameter import Parameter
from polychain.variable import Variable


def check_operand_count(link: str, xs: tuple[Any, ...], has_parameter: bool,
                        parameter: str) -> None:
    """Raises unless ``xs`` is ``(x,)`` with a learned parameter or ``(x, operand)`` without.

    Raises:
        LinkArgumentError: Another number of inputs.
    """
    if has_parameter and len(xs) != 1:
        raise LinkArgumentError(f'{link}: expected only the input x because the link holds '
                                f'{parameter}, received {len(xs)} inputs')
    if not has_parameter and len(xs) != 2:
        raise LinkArgumentError(f'{link}: expected the inputs x and {parameter} because the '
                                f'link holds no {parameter} (it was built without its '
                                f'shape), received {len(xs)} inputs')


class Bias(Link):
    """Broadcasted elementwise summation with a learned (or given) bias.

    Args:
        axis: The first axis of the input that the bias covers.
        shape: Shape of the learned bias ``b`` (initialised to 0), or ``None``
            to take the bias as the second input of each call.

    Attributes:
        b: The bias, when ``shape`` is given.
    """

    def __init__(self, axis: int = 1, shape: Any = None) -> None:
        super().__init__()
        self.axis = axis
        if shape is not None:
            with self.init_scope():
                self.b = Parameter(0, shape)

    def forward(self, *xs: Any) -> Variable:
        """``x + b``; ``xs`` is ``(x,)`` with a learned ``b``, or ``(x, b)``."""
        check_operand_count('Bias', xs, hasattr(self, 'b'), 'b')
        b = xs[1] if len(xs) == 2 else self.b
        return bias(xs[0], b, self.axis)
