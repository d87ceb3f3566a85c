"""Piecewise-constant functions: ceil, floor, fix and sign (no gradient reaches the input)."""

from __future__ import annotations

from typing import Any

from polychain.functions.math.unary import NonDifferentiableUnary
from polychain.variable import Variable


class Ceil(NonDifferentiableUnary):
    array_function = 'ceil'


class Floor(NonDifferentiableUnary):
    array_function = 'floor'


class Fix(NonDifferentiableUnary):
    array_function = 'trunc'


class Sign(NonDifferentiableUnary):
    array_function = 'sign'


def ceil(x: Any) -> Variable:
    """Elementwise ceiling: the smallest integer not below ``x``, in the dtype of ``x``.

    Args:
        x: Input variable or array.
    """
    return Ceil().apply((x,))[0]


def floor(x: Any) -> Variable:
    """Elementwise floor: the largest integer not above ``x``, in the dtype of ``x``.

    Args:
        x: Input variable or array.
    """
    return Floor().apply((x,))[0]


def fix(x: Any) -> Variable:
    """Elementwise rounding towards zero, in the dtype of ``x``.

    Args:
        x: Input variable or array.
    """
    return Fix().apply((x,))[0]


def sign(x: Any) -> Variable:
    """Elementwise sign: -1, 0 or 1, in the dtype of ``x``.

    Args:
        x: Input variable or array.
    """
    return Sign().apply((x,))[0]
