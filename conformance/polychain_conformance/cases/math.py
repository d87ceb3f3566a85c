"""Cases of the math functions: elementwise, reductions, products, linear algebra, special."""

from __future__ import annotations

import math
from typing import Any

import numpy

from polychain.utils import CooMatrix
from polychain_conformance.spec import Arg, ArrayConstant, Case, Input, Tolerance

_erf = numpy.vectorize(math.erf, otypes=[numpy.float64])
_erfc = numpy.vectorize(math.erfc, otypes=[numpy.float64])
_lgamma = numpy.vectorize(math.lgamma, otypes=[numpy.float64])


def _erfinv(y: numpy.ndarray) -> numpy.ndarray:
    """Newton's method on ``math.erf`` from a rough start, in float64."""
    x = numpy.sign(y) * numpy.sqrt(-numpy.log1p(-y * y))
    for _ in range(50):
        x = x - (_erf(x) - y) / (2.0 / math.sqrt(math.pi) * numpy.exp(-x * x))
    return x


def _digamma(x: numpy.ndarray) -> numpy.ndarray:
    """The recurrence up to ``x + 40`` and the asymptotic series there (``x > 0``)."""
    shift = 40
    z = x + shift
    series = numpy.log(z) - 0.5 / z - 1 / (12 * z ** 2) + 1 / (120 * z ** 4) - \
        1 / (252 * z ** 6)
    return series - sum(1.0 / (x + k) for k in range(shift))


def _ndtr(x: numpy.ndarray) -> numpy.ndarray:
    return 0.5 * _erfc(-x / math.sqrt(2.0))


def _hurwitz_zeta(s: Any, q: numpy.ndarray) -> numpy.ndarray:
    """``sum_k (q + k)^-s``: 200 terms summed, the rest by Euler-Maclaurin's first terms."""
    z = q + 200.0
    tail = z ** (1.0 - s) / (s - 1.0) + 0.5 * z ** -s + s / 12.0 * z ** (-s - 1.0)
    return sum((q + k) ** -s for k in range(200)) + tail


def _polygamma(n: numpy.ndarray, x: numpy.ndarray) -> numpy.ndarray:
    """``(-1)^(n+1) n! zeta(n + 1, x)``, and digamma where ``n = 0``."""
    order = numpy.maximum(n, 1)
    factorial = numpy.vectorize(math.factorial, otypes=[numpy.float64])(order)
    order = order.astype(numpy.float64)
    higher = (-1.0) ** (order + 1.0) * factorial * _hurwitz_zeta(order + 1.0, x)
    return numpy.where(n == 0, _digamma(x), higher)


def _complex_parts(transform: Any, x: list[numpy.ndarray]) -> tuple[numpy.ndarray, ...]:
    y = transform(x[0] + 1j * x[1])
    return y.real, y.imag


#: The positions of a sparse 3 x 4 matrix, with one padding entry (index -1).
_COO_ROWS = ArrayConstant([0, 0, 1, 2, -1], 'int32')
_COO_COLS = ArrayConstant([1, 3, 2, 0, -1], 'int32')


def _coo(data: Any, row: Any, col: Any) -> CooMatrix:
    return CooMatrix(data, row, col, (3, 4), order='C')


def _dense(a: CooMatrix) -> numpy.ndarray:
    dense = numpy.zeros(a.shape)
    valid = a.row >= 0
    numpy.add.at(dense, (a.row[valid], a.col[valid]), numpy.asarray(a.data.array)[valid])
    return dense


def _sparse_matmul(a: Any, b: Any, transa: bool = False, transb: bool = False) -> numpy.ndarray:
    a, b = (_dense(x) if isinstance(x, CooMatrix) else x for x in (a, b))
    return (a.T if transa else a) @ (b.T if transb else b)


def _fmod(x: numpy.ndarray, divisor: numpy.ndarray) -> numpy.ndarray:
    return numpy.fmod(x, divisor)


def _clip(x: numpy.ndarray, x_min: float | None, x_max: float | None) -> numpy.ndarray:
    return numpy.clip(x, x_min, x_max)


def _logsumexp(x: numpy.ndarray, axis: Any = None) -> numpy.ndarray:
    m = numpy.max(x, axis=axis, keepdims=True)
    return numpy.squeeze(numpy.log(numpy.sum(numpy.exp(x - m), axis=axis, keepdims=True)) + m,
                         axis=axis)


def _cumulative(function: Any) -> Any:
    def reference(x: numpy.ndarray, axis: int | None = None) -> numpy.ndarray:
        return function(x, axis=axis)
    return reference


def _average(x: numpy.ndarray, axis: Any = None, weights: Any = None,
             keepdims: bool = False) -> numpy.ndarray:
    y = numpy.average(x, axis=axis, weights=weights)
    return numpy.expand_dims(y, axis) if keepdims and axis is not None else y


def _batch_matmul(a: numpy.ndarray, b: numpy.ndarray, transa: bool = False,
                  transb: bool = False) -> numpy.ndarray:
    a = a.reshape(a.shape[:2] + (-1,))
    b = b.reshape(b.shape[:2] + (-1,))
    return numpy.matmul(numpy.swapaxes(a, 1, 2) if transa else a,
                        numpy.swapaxes(b, 1, 2) if transb else b)


def _expand(x: numpy.ndarray, y: numpy.ndarray, axis: int) -> numpy.ndarray:
    return y.reshape((1,) * axis + y.shape + (1,) * (x.ndim - axis - y.ndim))


def _einsum(subscripts: str, *operands: numpy.ndarray) -> numpy.ndarray:
    return numpy.einsum(subscripts, *operands)


def _identity(*xs: numpy.ndarray) -> Any:
    return xs if len(xs) > 1 else xs[0]


def _argmax(x: numpy.ndarray, axis: int | None = None) -> numpy.ndarray:
    return numpy.argmax(x, axis=axis)


def _argmin(x: numpy.ndarray, axis: int | None = None) -> numpy.ndarray:
    return numpy.argmin(x, axis=axis)


_X = Input((3, 4))
_X3 = Input((2, 3, 4))
_POSITIVE = Input((3, 4), 0.5, 2.0)
_UNIT = Input((3, 4), -0.9, 0.9)
_ROUNDING = Input((3, 4), -3.0, 3.0)
_DISTINCT = Input((3, 5), -2.0, 2.0)
#: Matrices far from singular: the case seeds draw them well conditioned.
_MATRIX = Input((3, 3), -1.0, 1.0)
_MATRICES = Input((2, 3, 3), -1.0, 1.0)
_INT32 = ('int32',)


def _forward_only(function: str, args: tuple[Any, ...], reference: Any, **kwargs: Any) -> Case:
    return Case(function, args, reference, forward_only=True, **kwargs)


CASES: tuple[Case, ...] = (
    # trigonometric and hyperbolic
    Case('sin', (Input((3, 4), -3.0, 3.0),), numpy.sin, strided=True),
    Case('cos', (Input((3, 4), -3.0, 3.0),), numpy.cos, strided=True),
    Case('tan', (_X,), numpy.tan, strided=True),
    Case('arcsin', (_UNIT,), numpy.arcsin, strided=True),
    Case('arccos', (_UNIT,), numpy.arccos, strided=True),
    Case('arctan', (Input((3, 4), -2.0, 2.0),), numpy.arctan, strided=True),
    Case('arctan2', (_X, Input((3, 4), -1.0, 1.0, gap=0.3)), numpy.arctan2, strided=True),
    Case('arctan2', (_X, Input((4,), 0.3, 1.0)), numpy.arctan2, name='arctan2_broadcast'),
    Case('sinh', (Input((3, 4), -2.0, 2.0),), numpy.sinh, strided=True),
    Case('cosh', (Input((3, 4), -2.0, 2.0),), numpy.cosh, strided=True),
    Case('arctanh', (Input((3, 4), -0.8, 0.8),), numpy.arctanh, strided=True),
    # exponentials, logarithms and powers
    Case('expm1', (_X,), numpy.expm1, strided=True),
    Case('log1p', (Input((3, 4), -0.5, 1.0),), numpy.log1p, strided=True),
    Case('log2', (_POSITIVE,), numpy.log2, strided=True),
    Case('log10', (_POSITIVE,), numpy.log10, strided=True),
    Case('rsqrt', (_POSITIVE,), lambda x: 1.0 / numpy.sqrt(x), strided=True),
    Case('square', (_X,), numpy.square, strided=True),
    # piecewise constant (no gradient)
    _forward_only('ceil', (_ROUNDING,), numpy.ceil, strided=True),
    _forward_only('floor', (_ROUNDING,), numpy.floor, strided=True),
    _forward_only('fix', (_ROUNDING,), numpy.fix, strided=True),
    _forward_only('sign', (Input((3, 4), gap=0.1),), numpy.sign, strided=True),
    # clipping, remainders and elementwise extrema
    Case('clip', (Input((3, 4), gap=0.05), Arg(0.0), Arg(2.0)), _clip, strided=True),
    Case('clip', (Input((3, 4), gap=0.05), Arg(None), Arg(0.0)), _clip, name='clip_upper'),
    Case('fmod', (Input((3, 4), -2.8, 2.8, gap=2.2), Input((3, 4), 1.0, 1.1)), _fmod,
         strided=True),
    Case('maximum', (Input((3, 4), gap=0.2), Input((3, 4), -0.1, 0.1)), numpy.maximum,
         strided=True),
    Case('minimum', (Input((3, 4), gap=0.2), Input((3, 4), -0.1, 0.1)), numpy.minimum,
         strided=True),
    Case('squared_difference', (_X, _X), lambda a, b: (a - b) ** 2, strided=True),
    Case('squared_difference', (_X, Input((4,))), lambda a, b: (a - b) ** 2,
         name='squared_difference_broadcast'),
    # reductions
    Case('max', (_DISTINCT,), numpy.max, name='max_all'),
    Case('max', (_DISTINCT,), numpy.max, name='max_axis', kwargs={'axis': 1}, strided=True),
    Case('min', (_DISTINCT,), numpy.min, name='min_axis_keepdims',
         kwargs={'axis': 0, 'keepdims': True}),
    Case('min', (_DISTINCT,), numpy.min, name='min_all'),
    _forward_only('argmax', (_DISTINCT,), _argmax, name='argmax_all', output_dtypes=_INT32),
    _forward_only('argmax', (_DISTINCT,), _argmax, name='argmax_axis', kwargs={'axis': 1},
                  output_dtypes=_INT32, strided=True),
    _forward_only('argmin', (_DISTINCT,), _argmin, name='argmin_axis', kwargs={'axis': 0},
                  output_dtypes=_INT32),
    Case('prod', (Input((3, 4), 0.5, 1.5),), numpy.prod, name='prod_all'),
    Case('prod', (_X3,), numpy.prod, name='prod_axis', kwargs={'axis': 1}, strided=True),
    Case('prod', (_X3,), numpy.prod, name='prod_axes_keepdims',
         kwargs={'axis': (0, 2), 'keepdims': True}),
    Case('logsumexp', (_X3,), _logsumexp, name='logsumexp_all'),
    Case('logsumexp', (_X3,), _logsumexp, name='logsumexp_axis', kwargs={'axis': 1},
         strided=True),
    Case('logsumexp', (_X3,), _logsumexp, name='logsumexp_axes', kwargs={'axis': (0, 2)}),
    Case('cumsum', (_X3,), _cumulative(numpy.cumsum), name='cumsum_axis', kwargs={'axis': 1},
         strided=True),
    Case('cumsum', (_X,), lambda x: numpy.cumsum(x), name='cumsum_flat'),
    Case('cumprod', (_X3,), _cumulative(numpy.cumprod), name='cumprod_axis',
         kwargs={'axis': -1}, strided=True),
    Case('cumprod', (_X,), lambda x: numpy.cumprod(x), name='cumprod_flat'),
    Case('average', (_X3,), _average, name='average_all'),
    Case('average', (_X3, Input((3,), 0.5, 1.5, keyword='weights')), _average,
         name='average_weighted_axis', kwargs={'axis': 1}),
    Case('average', (_X, Input((3, 4), 0.5, 1.5, keyword='weights')), _average,
         name='average_weighted_all'),
    Case('average', (_X3, Input((4,), 0.5, 1.5, keyword='weights')), _average,
         name='average_weighted_keepdims', kwargs={'axis': -1, 'keepdims': True}),
    Case('batch_l2_norm_squared', (_X3,), lambda x: numpy.sum(x.reshape(2, -1) ** 2, axis=1),
         strided=True),
    Case('add', (_X, Input((4,)), Input((3, 1))), lambda a, b, c: a + b + c,
         name='add_three'),
    # products
    Case('batch_matmul', (_X3, Input((2, 4, 5))), _batch_matmul, warns=DeprecationWarning),
    Case('batch_matmul', (Input((2, 3)), Input((2, 3))), _batch_matmul,
         name='batch_matmul_vectors', kwargs={'transa': True}, warns=DeprecationWarning),
    Case('tensordot', (_X3, Input((3, 4, 2))), numpy.tensordot, strided=True),
    Case('tensordot', (_X3, Input((4, 2, 5))), numpy.tensordot, name='tensordot_axes_pairs',
         kwargs={'axes': ([2, 0], [0, 1])}),
    Case('tensordot', (_X, Input((4, 5))), numpy.tensordot, name='tensordot_one_axis',
         kwargs={'axes': 1}),
    Case('einsum', (Arg('ij,jk->ik'), _X, Input((4, 2))), _einsum, name='einsum_matmul',
         strided=True),
    Case('einsum', (Arg('bij,bjk->bki'), _X3, Input((2, 4, 5))), _einsum,
         name='einsum_batched_transposed'),
    Case('einsum', (Arg('ij,jk,kl'), _X, Input((4, 2)), Input((2, 5))), _einsum,
         name='einsum_chain_implicit'),
    Case('einsum', (Arg('ij,k->kj'), _X, Input((5,))), _einsum, name='einsum_outer_sum'),
    Case('einsum', (Arg('ijk->ki'), _X3), _einsum, name='einsum_single_operand'),
    Case('einsum', (Arg('ij,ij->'), _X, _X), _einsum, name='einsum_full_contraction'),
    Case('einsum', (Arg('iij,kkj'), Input((3, 3, 4)), Input((2, 2, 4))), _einsum,
         name='einsum_diagonals'),
    Case('einsum', (Arg('...ij,...jk->...ik'), _X3, Input((2, 4, 5))), _einsum,
         name='einsum_ellipsis'),
    Case('bias', (_X3, Input((3,))), lambda x, y: x + _expand(x, y, 1), strided=True),
    Case('bias', (_X3, Input((3, 4))), lambda x, y, axis: x + _expand(x, y, axis),
         name='bias_2d', kwargs={'axis': 1}),
    Case('scale', (_X3, Input((3,))), lambda x, y: x * _expand(x, y, 1), strided=True),
    Case('scale', (_X3, Input((4,))), lambda x, y, axis: x * _expand(x, y, 2),
         name='scale_last_axis', kwargs={'axis': 2}),
    Case('linear_interpolate', (Input((3, 4), 0.0, 1.0), _X, _X),
         lambda p, x, y: p * x + (1 - p) * y, strided=True),
    Case('identity', (_X,), _identity, strided=True),
    Case('identity', (_X, _X3), _identity, name='identity_several'),
    # linear algebra
    Case('inv', (_MATRIX,), numpy.linalg.inv, dtypes=('float32', 'float64')),
    Case('batch_inv', (_MATRICES,), numpy.linalg.inv, dtypes=('float32', 'float64')),
    Case('det', (_MATRIX,), numpy.linalg.det, dtypes=('float32', 'float64')),
    Case('batch_det', (_MATRICES,), numpy.linalg.det, dtypes=('float32', 'float64')),
    Case('cholesky', (Input((1, 1), 0.5, 2.0),), numpy.linalg.cholesky,
         dtypes=('float32', 'float64')),
    # special functions
    Case('erf', (Input((3, 4), -3.0, 3.0),), _erf, strided=True),
    Case('erfc', (Input((3, 4), -3.0, 3.0),), _erfc, strided=True),
    Case('erfinv', (_UNIT,), _erfinv, strided=True),
    Case('lgamma', (Input((3, 4), 0.2, 4.0),), _lgamma, strided=True),
    # Between the poles at -3 and -2 the values are small and steep: float32 libraries
    # (XLA's on GPUs) reach about 5e-5 relative error there.
    Case('lgamma', (Input((3, 4), -2.9, -2.1),), _lgamma, name='lgamma_negative',
         tolerances={'float32': Tolerance(1e-5, 1e-4, 1e-4, 1e-3, 1e-3)}),
    Case('digamma', (Input((3, 4), 0.5, 4.0),), _digamma, strided=True),
    Case('polygamma', (ArrayConstant([[0, 1, 2], [3, 1, 0]], 'int32'), Input((2, 3), 0.5, 4.0)),
         _polygamma),
    Case('zeta', (ArrayConstant([[1.5, 2.0, 3.5], [6.0, 2.5, 10.0]], 'float64'),
                  Input((2, 3), 0.5, 4.0)), _hurwitz_zeta),
    Case('ndtr', (Input((3, 4), -3.0, 3.0),), _ndtr, strided=True),
    Case('log_ndtr', (Input((3, 4), -3.0, 3.0),), lambda x: numpy.log(_ndtr(x)), strided=True),
    Case('ndtri', (Input((3, 4), 0.1, 0.9),), lambda p: math.sqrt(2.0) * _erfinv(2.0 * p - 1.0),
         strided=True),
    Case('erfcx', (Input((3, 4), -2.0, 3.0),), lambda x: numpy.exp(x * x) * _erfc(x),
         strided=True),
    Case('erfcinv', (Input((3, 4), 0.2, 1.8),), lambda y: _erfinv(1.0 - y), strided=True),
    Case('fft', (Input((2, 5)), Input((2, 5))), lambda x: _complex_parts(numpy.fft.fft, x),
         pack_leading=2, strided=True),
    Case('ifft', (Input((3, 4)), Input((3, 4))), lambda x: _complex_parts(numpy.fft.ifft, x),
         pack_leading=2),
    # sparse products: the CooMatrix is made of the values (an input) and fixed positions
    Case('sparse_matmul', (Input((5,)), _COO_ROWS, _COO_COLS, Input((3, 2))), _sparse_matmul,
         kwargs={'transa': True}, arrange=lambda a: [_coo(*a[:3]), a[3]]),
    Case('sparse_matmul', (Input((2, 4)), Input((5,)), _COO_ROWS, _COO_COLS), _sparse_matmul,
         name='sparse_matmul_dense_sparse', kwargs={'transb': True},
         arrange=lambda a: [a[0], _coo(*a[1:])]),
)
