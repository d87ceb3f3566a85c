"""What the ``from_params`` constructors of the connection links share."""

from __future__ import annotations

from typing import Any

from polychain.backend.registry import get_device_from_array
from polychain.variable import Variable


def _array(value: Any) -> Any:
    return value.array if isinstance(value, Variable) else value


def unwrap_params(W: Any, b: Any, out_size: int, where: str) -> tuple[Any, Any, Any]:  # noqa: N803
    """The arrays of ``W`` and ``b`` (Variables or arrays) and the device of ``W``.

    Raises:
        ValueError: ``b`` does not have ``out_size`` elements.
    """
    W, b = _array(W), _array(b)  # noqa: N806
    if b is not None and b.size != out_size:
        raise ValueError(f'{where}.from_params: expected b of {out_size} elements (the output '
                         f'size of W of shape {tuple(W.shape)}), received shape '
                         f'{tuple(b.shape)}')
    return W, b, get_device_from_array(W)
