"""Generic Array API evaluations of special functions, used where a backend has no kernel.

Each is accurate to a few float64 roundings on the ranges stated; all run a
fixed number of steps on every element, so nothing depends on the values.
"""

from __future__ import annotations

import math
from typing import Any

_LANCZOS_G = 7.0
_LANCZOS = (0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012,
            9.9843695780195716e-6, 1.5056327351493116e-7)
#: Bernoulli numbers B_2, B_4, ..., B_14 of the asymptotic series of the polygamma functions.
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)
#: Shift of the recurrence before the asymptotic series (``x + shift >= 10`` for ``x > 0``).
_DIGAMMA_SHIFT = 10
#: Terms of the Hurwitz zeta function summed before Euler-Maclaurin takes over.
_ZETA_SHIFT = 12
_SQRT_HALF = math.sqrt(0.5)
#: From here on erfcx is its continued fraction (60 terms reach float64 accuracy), below it
#: ``exp(x^2) erfc(x)``, whose ``1 - erf(x)`` has not cancelled much yet.
_ERFCX_FRACTION_LIMIT = 1.5
_GILES_CENTRAL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06,
                  0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
_GILES_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
               -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)
#: Below this magnitude erf is its power series, above it the continued fraction of erfc.
_SERIES_LIMIT = 2.5
_SERIES_TERMS = 50
_FRACTION_DEPTH = 60
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


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
    series = TWO_OVER_SQRT_PI * xp.exp(-small * small) * total

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


def generic_erfc(xp: Any, x: Any) -> Any:
    """``erfc(x) = 1 - erf(x)`` without cancellation for large positive ``x``."""
    near = 1.0 - generic_erf(xp, xp.clip(x, -_SERIES_LIMIT, _SERIES_LIMIT))
    far = erfc_fraction(xp, x)
    return xp.where(xp.abs(x) < _SERIES_LIMIT, near, xp.where(x < 0, 2.0 - far, far))


def generic_erfcx(xp: Any, x: Any) -> Any:
    """The scaled complementary error function ``exp(x^2) erfc(x)``, without overflow for
    large positive ``x`` (the continued fraction gives it directly there)."""
    clamped = xp.minimum(x, _ERFCX_FRACTION_LIMIT)
    near = xp.exp(clamped * clamped) * generic_erfc(xp, clamped)
    return xp.where(x < _ERFCX_FRACTION_LIMIT, near,
                    erfcx_fraction(xp, x, _ERFCX_FRACTION_LIMIT))


def generic_ndtr(xp: Any, x: Any) -> Any:
    """The standard normal cumulative distribution ``erfc(-x / sqrt(2)) / 2``."""
    return 0.5 * generic_erfc(xp, -x * _SQRT_HALF)


def generic_log_ndtr(xp: Any, x: Any) -> Any:
    """``log(ndtr(x))``: through :func:`generic_erfcx` below 0 (no underflow in the far left
    tail), as ``log1p(-ndtr(-x))`` above (no rounding to 0 in the right tail)."""
    t = xp.maximum(-x * _SQRT_HALF, 0.0)
    left = xp.log(0.5 * generic_erfcx(xp, t)) - t * t
    right = xp.log1p(-0.5 * generic_erfc(xp, xp.maximum(x * _SQRT_HALF, 0.0)))
    return xp.where(x < 0, left, right)


def generic_zeta(xp: Any, s: Any, q: Any) -> Any:
    """The Hurwitz zeta function ``sum_k (q + k)^-s`` for ``s > 1`` and ``q > 0``.

    The first :data:`_ZETA_SHIFT` terms are summed and the Euler-Maclaurin
    formula (Bernoulli numbers up to ``B_14``) gives the rest.
    """
    total = 0.0
    for k in range(_ZETA_SHIFT):
        total = total + (q + float(k)) ** -s
    z = q + float(_ZETA_SHIFT)
    total = total + z ** (1.0 - s) / (s - 1.0) + 0.5 * z ** -s
    rising = s  # s (s + 1) ... (s + 2j - 2)
    for j, b in enumerate(_BERNOULLI, start=1):
        total = total + b / math.factorial(2 * j) * rising * z ** (-s - float(2 * j - 1))
        rising = rising * (s + float(2 * j - 1)) * (s + float(2 * j))
    return total


def generic_polygamma_orders(xp: Any, n: Any, x: Any) -> Any:
    """The polygamma function of elementwise integer orders ``n >= 0``: digamma where
    ``n = 0``, ``(-1)^(n+1) n! zeta(n + 1, x)`` elsewhere."""
    order = xp.astype(xp.maximum(n, 1), x.dtype)  # zeta's pole at n = 0 is not evaluated
    sign = 2.0 * xp.astype(n % 2, x.dtype) - 1.0
    higher = sign * xp.exp(generic_lgamma(xp, order + 1.0)) * generic_zeta(xp, order + 1.0, x)
    return xp.where(n == 0, generic_polygamma(xp, 0, x), higher)


def _horner(coefficients: tuple[float, ...], w: Any) -> Any:
    p = coefficients[0]
    for c in coefficients[1:]:
        p = p * w + c
    return p


def generic_erfinv(xp: Any, y: Any, erf: Any) -> Any:
    """``erfinv(y)``: Giles' approximation refined by two Newton steps (``inf`` at 1, NaN
    beyond).

    Args:
        xp: The Array API namespace of ``y``.
        y: A floating-point array.
        erf: The ``erf`` to invert (the backend's kernel or :func:`generic_erf`).
    """
    infinity = xp.full_like(y, math.inf)
    outside = xp.abs(y) >= 1.0
    y_inside = xp.where(outside, xp.zeros_like(y), y)
    result = _refined_erfinv(xp, y_inside, erf)
    edge = xp.where(y < 0, -infinity, infinity)
    nan = xp.full_like(y, math.nan)
    return xp.where(outside, xp.where(xp.abs(y) == 1.0, edge, nan), result)


def _refined_erfinv(xp: Any, y: Any, erf: Any) -> Any:
    w = -xp.log((1.0 - y) * (1.0 + y))
    central = _horner(_GILES_CENTRAL, w - 2.5)
    tail = _horner(_GILES_TAIL, xp.sqrt(xp.maximum(w, 5.0)) - 3.0)
    x = xp.where(w < 5.0, central, tail) * y
    for _ in range(2):
        x = x - (erf(x) - y) / ((2.0 / math.sqrt(math.pi)) * xp.exp(-x * x))
    return x


def _lgamma_positive(xp: Any, x: Any) -> Any:
    """``lgamma(x)`` for ``x >= 0.5`` by the Lanczos approximation."""
    z = x - 1.0
    a = _LANCZOS[0]
    for i, c in enumerate(_LANCZOS[1:], start=1):
        a = a + c / (z + float(i))
    t = z + (_LANCZOS_G + 0.5)
    return 0.5 * math.log(2.0 * math.pi) + (z + 0.5) * xp.log(t) - t + xp.log(a)


def generic_lgamma(xp: Any, x: Any) -> Any:
    """``log|Gamma(x)|``; the reflection formula covers ``x < 0.5``."""
    upper = xp.maximum(x, 0.5)
    lower = xp.minimum(x, 0.5)
    reflected = math.log(math.pi) - xp.log(xp.abs(xp.sin(math.pi * lower))) - \
        _lgamma_positive(xp, 1.0 - lower)
    return xp.where(x >= 0.5, _lgamma_positive(xp, upper), reflected)


def generic_polygamma(xp: Any, n: int, x: Any) -> Any:
    """The ``n``-th derivative of the digamma function.

    The recurrence shifts ``x`` by ``10 + n`` and the asymptotic series takes
    over; this is accurate for ``x > -5``. For ``n = 0`` (digamma) the
    reflection formula covers every ``x < 0.5``.
    """
    if n == 0:
        upper = xp.maximum(x, 0.5)
        lower = xp.minimum(x, 0.5)
        reflected = _shifted_polygamma(xp, 0, 1.0 - lower) - math.pi / xp.tan(math.pi * lower)
        return xp.where(x >= 0.5, _shifted_polygamma(xp, 0, upper), reflected)
    return _shifted_polygamma(xp, n, x)


def _shifted_polygamma(xp: Any, n: int, x: Any) -> Any:
    shift = _DIGAMMA_SHIFT + n
    sign = -1.0 if n % 2 == 0 else 1.0  # (-1)^(n+1)
    recurrence = 0.0
    for k in range(shift):
        recurrence = recurrence + (x + float(k)) ** -(n + 1)
    z = x + float(shift)
    if n == 0:
        series = xp.log(z) - 0.5 / z
        for k, b in enumerate(_BERNOULLI, start=1):
            series = series - b / (2 * k) * z ** (-2 * k)
        return series - recurrence
    series = math.factorial(n - 1) * z ** -n + 0.5 * math.factorial(n) * z ** -(n + 1)
    for k, b in enumerate(_BERNOULLI, start=1):
        series = series + b * math.factorial(2 * k + n - 1) / math.factorial(2 * k) * \
            z ** -(2 * k + n)
    return sign * (series + math.factorial(n) * recurrence)


def at_least_float32(xp: Any, x: Any, evaluate: Any) -> Any:
    """``evaluate(x)``, computed in float32 when ``x`` is float16 (the series need the range).

    The generic evaluations are accurate in float32 and float64; in float16 their
    intermediate terms lose too much, so they run one precision up and round once.
    """
    half = getattr(xp, 'float16', None)  # some Array API libraries have no float16
    if half is not None and x.dtype == half:
        return xp.astype(evaluate(xp.astype(x, xp.float32)), half)
    return evaluate(x)
