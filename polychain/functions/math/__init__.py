"""Elementwise math, reductions, products and linear algebra."""

from polychain.functions.math.average import average
from polychain.functions.math.basic_math import absolute
from polychain.functions.math.clip import clip
from polychain.functions.math.combination import (
    batch_l2_norm_squared,
    bias,
    identity,
    linear_interpolate,
    scale,
    squared_difference,
)
from polychain.functions.math.cumulative import cumprod, cumsum
from polychain.functions.math.einsum import einsum
from polychain.functions.math.erf import erf
from polychain.functions.math.exponential import exp, log, sqrt
from polychain.functions.math.fmod import fmod
from polychain.functions.math.hyperbolic import arctanh, cosh, sinh
from polychain.functions.math.linalg import batch_det, batch_inv, cholesky, det, inv
from polychain.functions.math.logarithm import expm1, log1p, log2, log10
from polychain.functions.math.logsumexp import logsumexp
from polychain.functions.math.matmul import matmul
from polychain.functions.math.minmax import (  # noqa: A004
    argmax,
    argmin,
    max,
    maximum,
    min,
    minimum,
)
from polychain.functions.math.power import rsqrt, square
from polychain.functions.math.prod import prod
from polychain.functions.math.rounding import ceil, fix, floor, sign
from polychain.functions.math.special import digamma, erfc, erfinv, lgamma
from polychain.functions.math.sum import mean, sum  # noqa: A004
from polychain.functions.math.tensordot import batch_matmul, tensordot
from polychain.functions.math.trigonometric import (
    arccos,
    arcsin,
    arctan,
    arctan2,
    cos,
    sin,
    tan,
)

__all__ = [
    'absolute', 'arccos', 'arcsin', 'arctan', 'arctan2', 'arctanh', 'argmax', 'argmin',
    'average', 'batch_det', 'batch_inv', 'batch_l2_norm_squared', 'batch_matmul', 'bias',
    'ceil', 'cholesky', 'clip', 'cos', 'cosh', 'cumprod', 'cumsum', 'det', 'digamma', 'einsum',
    'erf', 'erfc', 'erfinv', 'exp', 'expm1', 'fix', 'floor', 'fmod', 'identity', 'inv',
    'lgamma', 'linear_interpolate', 'log', 'log10', 'log1p', 'log2', 'logsumexp', 'matmul',
    'max', 'maximum', 'mean', 'min', 'minimum', 'prod', 'rsqrt', 'scale', 'sign', 'sin', 'sinh',
    'sqrt', 'square', 'squared_difference', 'sum', 'tan', 'tensordot',
]
