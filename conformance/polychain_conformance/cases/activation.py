"""Cases of the activation functions (``polychain.functions.activation``)."""

from __future__ import annotations

import math

import numpy

from polychain_conformance.spec import Arg, ArrayConstant, Case, Input

_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


def _softmax(x: numpy.ndarray, axis: int = 1) -> numpy.ndarray:
    e = numpy.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _log_softmax(x: numpy.ndarray, axis: int = 1) -> numpy.ndarray:
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - numpy.log(numpy.exp(shifted).sum(axis=axis, keepdims=True))


def _sigmoid(x: numpy.ndarray) -> numpy.ndarray:
    return 1.0 / (1.0 + numpy.exp(-x))


def _clipped_relu(x: numpy.ndarray, z: float = 20.0) -> numpy.ndarray:
    return numpy.clip(x, 0.0, z)


def _crelu(x: numpy.ndarray, axis: int = 1) -> numpy.ndarray:
    return numpy.concatenate((numpy.maximum(x, 0.0), numpy.maximum(-x, 0.0)), axis=axis)


def _elu(x: numpy.ndarray, alpha: float = 1.0) -> numpy.ndarray:
    return numpy.where(x >= 0, x, alpha * numpy.expm1(numpy.minimum(x, 0.0)))


def _selu(x: numpy.ndarray, alpha: float = _SELU_ALPHA,
          scale: float = _SELU_SCALE) -> numpy.ndarray:
    return scale * _elu(x, alpha)


def _leaky_relu(x: numpy.ndarray, slope: float = 0.2) -> numpy.ndarray:
    return numpy.where(x >= 0, x, slope * x)


def _maxout(x: numpy.ndarray, pool_size: int, axis: int = 1) -> numpy.ndarray:
    axis %= x.ndim
    shape = x.shape[:axis] + (x.shape[axis] // pool_size, pool_size) + x.shape[axis + 1:]
    return x.reshape(shape).max(axis=axis + 1)


def _aligned(parameter: numpy.ndarray, x: numpy.ndarray) -> numpy.ndarray:
    return parameter.reshape((1,) + parameter.shape + (1,) * (x.ndim - 1 - parameter.ndim))


def _prelu(x: numpy.ndarray, W: numpy.ndarray) -> numpy.ndarray:  # noqa: N803
    return numpy.where(x >= 0, x, _aligned(W, x) * x)


def _rrelu(x: numpy.ndarray, r: numpy.ndarray) -> numpy.ndarray:
    return numpy.where(x >= 0, x, r * x)


def _softplus(x: numpy.ndarray, beta: float = 1.0) -> numpy.ndarray:
    return numpy.logaddexp(0.0, beta * x) / beta


def _swish(x: numpy.ndarray, beta: numpy.ndarray) -> numpy.ndarray:
    return x * _sigmoid(_aligned(beta, x) * x)


_erf = numpy.vectorize(math.erf, otypes=[numpy.float64])


def _gelu(x: numpy.ndarray, approximate: str = 'none') -> numpy.ndarray:
    if approximate == 'tanh':
        return 0.5 * x * (1.0 + numpy.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


_LOGITS = Input((3, 5), -3.0, 3.0)
_LOGITS3 = Input((2, 4, 3), -3.0, 3.0)
_AWAY_FROM_ZERO = Input((3, 4), gap=0.2)
_AWAY_FROM_ZERO3 = Input((2, 3, 4), gap=0.2)
_WIDE = Input((3, 4), -3.0, 3.0)
#: Fixed slopes in [1/8, 1/3) for rrelu, so that every backend uses the same ones.
_RRELU_SLOPES = ArrayConstant(
    numpy.linspace(1.0 / 8, 0.3, 12).reshape(3, 4).round(4).tolist(), 'float64')

CASES: tuple[Case, ...] = (
    Case('softmax', (_LOGITS,), _softmax, strided=True),
    Case('softmax', (_LOGITS3,), _softmax, name='softmax_last_axis', kwargs={'axis': -1}),
    Case('softmax', (_LOGITS3,), _softmax, name='softmax_axis0', kwargs={'axis': 0}),
    Case('log_softmax', (_LOGITS,), _log_softmax, strided=True),
    Case('log_softmax', (_LOGITS3,), _log_softmax, name='log_softmax_last_axis',
         kwargs={'axis': -1}),
    Case('clipped_relu', (Input((3, 4), -30.0, 30.0, gap=1.0),), _clipped_relu, strided=True),
    Case('clipped_relu', (Input((3, 4), -0.6, 2.0, gap=0.2),), _clipped_relu,
         name='clipped_relu_z', kwargs={'z': 1.5}),
    Case('relu6', (Input((3, 4), -9.0, 9.0, gap=0.5),), lambda x: numpy.clip(x, 0.0, 6.0)),
    Case('crelu', (_AWAY_FROM_ZERO3,), _crelu, strided=True),
    Case('crelu', (_AWAY_FROM_ZERO3,), _crelu, name='crelu_last_axis', kwargs={'axis': -1}),
    Case('elu', (_AWAY_FROM_ZERO,), _elu, strided=True),
    Case('elu', (Input((3, 4), -3.0, 3.0, gap=0.2),), _elu, name='elu_alpha',
         kwargs={'alpha': 0.5}),
    Case('selu', (Input((3, 4), -3.0, 3.0, gap=0.2),), _selu, strided=True),
    Case('selu', (_AWAY_FROM_ZERO,), _selu, name='selu_parameters',
         kwargs={'alpha': 1.2, 'scale': 0.8}),
    Case('hard_sigmoid', (Input((3, 4), -4.0, 4.0),), lambda x: numpy.clip(0.2 * x + 0.5, 0, 1),
         strided=True),
    Case('leaky_relu', (_AWAY_FROM_ZERO,), _leaky_relu, strided=True),
    Case('leaky_relu', (_AWAY_FROM_ZERO,), _leaky_relu, name='leaky_relu_slope',
         kwargs={'slope': 0.05}),
    Case('maxout', (Input((2, 6, 3)), Arg(3)), _maxout, strided=True),
    Case('maxout', (Input((2, 3, 4)), Arg(2)), _maxout, name='maxout_last_axis',
         kwargs={'axis': -1}),
    Case('prelu', (_AWAY_FROM_ZERO3, Input((3,), 0.1, 0.5)), _prelu, strided=True),
    Case('prelu', (_AWAY_FROM_ZERO3, Input((3, 4), 0.1, 0.5)), _prelu, name='prelu_2d_slope'),
    Case('rrelu', (_AWAY_FROM_ZERO,), _rrelu, kwargs={'r': _RRELU_SLOPES}),
    Case('softplus', (Input((3, 4), -5.0, 5.0),), _softplus, strided=True),
    Case('softplus', (_WIDE,), _softplus, name='softplus_beta', kwargs={'beta': 2.0}),
    Case('swish', (Input((2, 3, 4), -3.0, 3.0), Input((3,), 0.5, 1.5)), _swish, strided=True),
    Case('gelu', (_WIDE,), _gelu, strided=True),
    Case('gelu', (_WIDE,), _gelu, name='gelu_tanh', kwargs={'approximate': 'tanh'}),
)
