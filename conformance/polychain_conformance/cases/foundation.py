"""Cases of the first function set (the graph's own functions) and the Variable operators."""

from __future__ import annotations

from typing import Any

import numpy

from polychain_conformance.spec import Arg, ArrayConstant, Case, Input, SameAs


def _sum_to(x: numpy.ndarray, shape: tuple[int, ...]) -> numpy.ndarray:
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and x.shape[lead + i] != 1)
    return numpy.sum(x, axis=axes, keepdims=True).reshape(shape)


def _matmul(a: numpy.ndarray, b: numpy.ndarray, transa: bool = False,
            transb: bool = False) -> numpy.ndarray:
    return numpy.matmul(numpy.swapaxes(a, -1, -2) if transa else a,
                        numpy.swapaxes(b, -1, -2) if transb else b)


def _linear(x: numpy.ndarray, W: numpy.ndarray, b: numpy.ndarray | None = None,  # noqa: N803
            n_batch_axes: int = 1) -> numpy.ndarray:
    batch_shape = x.shape[:n_batch_axes]
    y = x.reshape(int(numpy.prod(batch_shape)), -1) @ W.T
    if b is not None:
        y = y + b
    return y.reshape(batch_shape + (W.shape[0],))


def _get_item(x: numpy.ndarray, index: Any) -> numpy.ndarray:
    return x[index]


def _sigmoid(x: numpy.ndarray) -> numpy.ndarray:
    return 1.0 / (1.0 + numpy.exp(-x))


_X = Input((3, 4))
_POSITIVE = Input((3, 4), 0.5, 2.0)
_AWAY_FROM_ZERO = Input((3, 4), gap=0.2)
_X3 = Input((2, 3, 4))
_MASK = ArrayConstant([[True, False, True, True], [False, False, True, False],
                       [True, True, False, True]], 'bool')

CASES: tuple[Case, ...] = (
    # activations
    Case('relu', (_AWAY_FROM_ZERO,), lambda x: numpy.maximum(x, 0.0), strided=True),
    Case('sigmoid', (Input((3, 4), -3.0, 3.0),), _sigmoid, strided=True),
    Case('tanh', (Input((3, 4), -2.0, 2.0),), numpy.tanh, strided=True),
    # elementwise math
    Case('exp', (_X,), numpy.exp, strided=True),
    Case('log', (_POSITIVE,), numpy.log, strided=True),
    Case('sqrt', (_POSITIVE,), numpy.sqrt, strided=True),
    Case('absolute', (_AWAY_FROM_ZERO,), numpy.abs, strided=True),
    # reductions
    Case('sum', (_X3,), numpy.sum, name='sum_all'),
    Case('sum', (_X3,), numpy.sum, name='sum_axis', kwargs={'axis': 1}, strided=True),
    Case('sum', (_X3,), numpy.sum, name='sum_axes_keepdims',
         kwargs={'axis': (0, 2), 'keepdims': True}),
    Case('sum', (_X3,), numpy.sum, name='sum_negative_axis', kwargs={'axis': -1}),
    Case('mean', (_X3,), numpy.mean, name='mean_all'),
    Case('mean', (_X3,), numpy.mean, name='mean_axis_keepdims',
         kwargs={'axis': 0, 'keepdims': True}),
    Case('mean', (_X, Input((4,), 0.5, 1.5, keyword='weights')), numpy.average,
         name='mean_weighted', kwargs={'axis': 1}),
    # shapes
    Case('reshape', (_X, Arg((2, 6))), numpy.reshape, strided=True),
    Case('reshape', (_X, Arg((-1, 2))), numpy.reshape, name='reshape_inferred'),
    Case('transpose', (_X3,), numpy.transpose, name='transpose_reverse', strided=True),
    Case('transpose', (_X3, Arg((1, 0, 2))), numpy.transpose, name='transpose_axes'),
    Case('broadcast_to', (Input((3, 1)), Arg((2, 3, 4))), numpy.broadcast_to),
    Case('broadcast_to', (Input((4,)), Arg((3, 4))), numpy.broadcast_to,
         name='broadcast_to_leading'),
    Case('sum_to', (_X3, Arg((3, 1))), _sum_to),
    Case('sum_to', (_X, Arg((4,))), _sum_to, name='sum_to_leading'),
    # indexing
    Case('get_item', (Input((4, 5)), Arg((slice(1, 3), slice(None, None, 2)))), _get_item,
         name='get_item_slices', strided=True),
    Case('get_item', (_X, Arg(1)), _get_item, name='get_item_integer'),
    Case('get_item', (_X, Arg((None, Ellipsis, 1))), _get_item,
         name='get_item_newaxis_ellipsis'),
    Case('get_item', (_X, Arg((slice(None, None, -1), Ellipsis))), _get_item,
         name='get_item_reversed'),
    Case('get_item', (_X, Arg((ArrayConstant([0, 2, 2]), ArrayConstant([1, 1, 3])))),
         _get_item, name='get_item_integer_arrays'),
    Case('get_item', (Input((4,)), Arg([0, 2, 2])), _get_item, name='get_item_list'),
    Case('get_item', (_X, Arg(_MASK)), _get_item, name='get_item_boolean_mask'),
    Case('get_item', (_X, Arg((ArrayConstant([2, 0, 2]), slice(1, 3)))), _get_item,
         name='get_item_integer_array_and_slice'),
    # products
    Case('matmul', (_X, Input((4, 2))), numpy.matmul, strided=True),
    Case('matmul', (Input((4, 3)), Input((4, 2))), _matmul, name='matmul_transa',
         kwargs={'transa': True}),
    Case('matmul', (_X, Input((2, 4))), _matmul, name='matmul_transb', kwargs={'transb': True}),
    Case('matmul', (_X3, Input((4, 2))), numpy.matmul, name='matmul_batched_broadcast'),
    Case('matmul', (Input((4,)), Input((4, 3))), numpy.matmul, name='matmul_vector_matrix'),
    Case('matmul', (_X, Input((4,))), numpy.matmul, name='matmul_matrix_vector'),
    Case('linear', (_X, Input((2, 4)), Input((2,))), _linear, strided=True),
    Case('linear', (_X, Input((2, 4))), _linear, name='linear_no_bias'),
    Case('linear', (_X3, Input((5, 4)), Input((5,))), _linear, name='linear_batch_axes',
         kwargs={'n_batch_axes': 2}),
    # Variable operators
    Case('+', (_X, _X), numpy.add, name='add', strided=True),
    Case('+', (_X, Input((4,))), numpy.add, name='add_broadcast'),
    Case('+', (_X, Arg(2.5)), numpy.add, name='add_scalar'),
    Case('+', (Arg(2.5), _X), numpy.add, name='radd_scalar'),
    Case('+', (Input((3, 4), raw=True), _X), numpy.add, name='radd_array'),
    Case('+', (_X, SameAs(0)), numpy.add, name='add_same_operand'),
    Case('-', (_X, _X), numpy.subtract, name='sub'),
    Case('-', (_X, Input((3, 1))), numpy.subtract, name='sub_broadcast'),
    Case('-', (_X, Arg(2.5)), numpy.subtract, name='sub_scalar'),
    Case('-', (Arg(2.5), _X), numpy.subtract, name='rsub_scalar'),
    Case('*', (_X, _X), numpy.multiply, name='mul', strided=True),
    Case('*', (_X3, Input((3, 1))), numpy.multiply, name='mul_broadcast'),
    Case('*', (_X, Arg(2.5)), numpy.multiply, name='mul_scalar'),
    Case('*', (_X, Arg(numpy.float64(2.5))), numpy.multiply, name='mul_numpy_scalar'),
    Case('*', (_X, SameAs(0)), numpy.multiply, name='mul_same_operand'),
    Case('/', (_X, Input((3, 4), -2.0, 2.0, gap=0.5)), numpy.divide, name='div'),
    Case('/', (_X, Input((4,), 0.5, 2.0)), numpy.divide, name='div_broadcast'),
    Case('/', (_X, Arg(2.5)), numpy.divide, name='div_scalar'),
    Case('/', (Arg(2.5), Input((3, 4), -2.0, 2.0, gap=0.5)), numpy.divide, name='rdiv_scalar'),
    Case('**', (_POSITIVE, Arg(2)), numpy.power, name='pow_square'),
    Case('**', (_POSITIVE, Arg(3)), numpy.power, name='pow_integer'),
    Case('**', (_POSITIVE, Arg(0.5)), numpy.power, name='pow_fraction'),
    Case('**', (Arg(2.0), _X), numpy.power, name='rpow_scalar'),
    Case('**', (_POSITIVE, _X), numpy.power, name='pow_variables'),
    Case('@', (_X, Input((4, 2))), numpy.matmul, name='matmul_operator'),
    Case('@', (Input((3, 4), raw=True), Input((4, 2))), numpy.matmul, name='rmatmul_array'),
    Case('neg', (_X,), numpy.negative, strided=True),
    Case('abs', (_AWAY_FROM_ZERO,), numpy.abs),
)
