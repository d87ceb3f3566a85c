"""erf: the Gauss error function, from a backend kernel or a generic Array API evaluation."""

from __future__ import annotations

import math
from typing import Any

from polychain.backend import kernels
from polychain.function_node import FunctionNode
from polychain.functions.math.exponential import exp
from polychain.variable import Variable

#: Below this magnitude the power series is used, above it the continued fraction of erfc.
_SERIES_LIMIT = 2.5
_SERIES_TERMS = 50
_FRACTION_DEPTH = 60
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def generic_erf(xp: Any, x: Any) -> Any:
    """``erf(x)`` elementwise with only Array API operations (accurate to float64 rounding).

    Small ``|x|`` use the series ``erf(x) = 2/sqrt(pi) exp(-x^2) sum_n (2x^2)^n x / (2n+1)!!``
    (all terms positive, so nothing cancels); large ``|x|`` use the continued
    fraction of ``erfc``. Both run on every element, each on inputs clamped to
    its own range, and ``where`` picks one.

    Args:
        xp: The Array API namespace of ``x``.
        x: A floating-point array.
    """
    small = xp.clip(x, -_SERIES_LIMIT, _SERIES_LIMIT)
    two_x2 = 2.0 * small * small
    term = small
    total = small
    for n in range(1, _SERIES_TERMS):
        term = term * two_x2 / (2 * n + 1)
        total = total + term
    series = _TWO_OVER_SQRT_PI * xp.exp(-small * small) * total

    erfc = erfc_fraction(xp, x)
    tail = xp.where(x < 0, erfc - 1.0, 1.0 - erfc)
    return xp.where(xp.abs(x) < _SERIES_LIMIT, series, tail)


def erfc_fraction(xp: Any, x: Any) -> Any:
    """``erfc(|x|)`` by its continued fraction, for ``|x|`` clamped to at least the series limit.

    Args:
        xp: The Array API namespace of ``x``.
        x: A floating-point array.
    """
    large = xp.maximum(xp.abs(x), _SERIES_LIMIT)
    return xp.exp(-large * large) * erfcx_fraction(xp, x)


def erfcx_fraction(xp: Any, x: Any, lower: float = _SERIES_LIMIT) -> Any:
    """``erfcx(|x|) = exp(x^2) erfc(|x|)`` by the continued fraction of :func:`erfc_fraction`.

    Args:
        xp: The Array API namespace of ``x``.
        x: A floating-point array.
        lower: ``|x|`` is clamped to at least this (the fraction converges from 1.5 on).
    """
    large = xp.maximum(xp.abs(x), lower)
    fraction = large
    for k in range(_FRACTION_DEPTH, 0, -1):
        fraction = large + (k * 0.5) / fraction
    return 1.0 / (math.sqrt(math.pi) * fraction)


def erf_array(device: Any, x: Any) -> Any:
    """``erf(x)`` on ``device``: its backend's :data:`~polychain.backend.kernels.erf`
    kernel, or :func:`generic_erf`."""
    kernel = device.kernel(kernels.erf)
    if kernel is not None:
        return kernel(x)
    from polychain.functions.math.special_generic import at_least_float32
    return at_least_float32(device.namespace, x, lambda v: generic_erf(device.namespace, v))


class Erf(FunctionNode):
    """The Gauss error function; its derivative is ``2/sqrt(pi) exp(-x^2)``."""

    _retain_input_indexes = (0,)

    def forward(self, inputs):
        return erf_array(self.device, inputs[0]),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * exp(-(x * x)) * _TWO_OVER_SQRT_PI,


def erf(x: Any) -> Variable:
    """Elementwise Gauss error function ``erf(x) = 2/sqrt(pi) int_0^x exp(-t^2) dt``.

    Args:
        x: Input variable or array of floating dtype.

    Returns:
        A variable of the shape and dtype of ``x``.
    """
    return Erf().apply((x,))[0]
