"""The check shared by activations that work along one axis of their input."""

from __future__ import annotations

from polychain.utils import type_check


def expect_axis_in_range(x_type: type_check.TypeInfo, axis: int) -> None:
    """Raises InvalidType unless ``-x.ndim <= axis < x.ndim``.

    Args:
        x_type: The type information of the input ``x``.
        axis: The axis the function works along.
    """
    if not -x_type.ndim <= axis < x_type.ndim:
        raise type_check.InvalidType(f'-x.ndim <= axis < x.ndim (axis == {axis})',
                                     f'x.ndim == {x_type.ndim}')
