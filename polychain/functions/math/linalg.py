"""Linear algebra on (stacks of) square matrices: inv, det and cholesky."""

from __future__ import annotations

from typing import Any

from array_api_compat import device as array_device

from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.math.matmul import matmul
from polychain.utils.type_check import InvalidType, expect_float
from polychain.variable import Variable


def _swap_last(x: Variable) -> Variable:
    ndim = x.ndim
    return transpose(x, tuple(range(ndim - 2)) + (ndim - 1, ndim - 2))


class _SquareMatrices(FunctionNode):
    """Base of functions of one stack of square floating-point matrices."""

    check_type_on_failure = False
    ndim: int = 2

    def __init__(self, ndim: int) -> None:
        self.ndim = ndim

    def check_type_forward(self, in_types):
        a, = in_types
        expect_float(self.xp, a, 'a')
        if a.ndim != self.ndim or a.shape[-1] != a.shape[-2]:
            kind = 'a square matrix' if self.ndim == 2 else 'a batch of square matrices'
            raise InvalidType(f'{kind}: a.ndim == {self.ndim} and a.shape[-1] == a.shape[-2]',
                              f'a.shape == {a.shape}')

    def _compute(self, function: Any, a: Any) -> Any:
        """``function(a)``, computed in float32 for float16 ``a`` (linalg lacks float16)."""
        xp = self.xp
        half = getattr(xp, 'float16', None)  # some Array API libraries have no float16
        if a.dtype == half:
            return xp.astype(function(xp.astype(a, xp.float32)), half)
        return function(a)


class Inv(_SquareMatrices):
    _retain_output_indexes = (0,)

    def forward(self, inputs):
        return self._compute(self.xp.linalg.inv, inputs[0]),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return -matmul(matmul(y, grad_outputs[0], transa=True), y, transb=True),


class Det(_SquareMatrices):
    _retain_input_indexes = (0,)
    _retain_output_indexes = (0,)

    def forward(self, inputs):
        return self._compute(self.xp.linalg.det, inputs[0]),

    def backward(self, indexes, grad_outputs):
        a, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        a_inv_t = _swap_last(Inv(a.ndim).apply((a,))[0])
        scale = reshape(grad_outputs[0] * y, tuple(y.shape) + (1, 1))
        return broadcast_to(scale, tuple(a.shape)) * a_inv_t,


class Cholesky(_SquareMatrices):
    """Lower Cholesky factor ``L`` of a symmetric positive-definite ``a = L L^T``.

    The gradient is that of a function of a symmetric ``a`` (it is symmetric).
    """

    _retain_output_indexes = (0,)

    def forward(self, inputs):
        return self._compute(self.xp.linalg.cholesky, inputs[0]),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        xp = self.xp
        n = y.shape[-1]
        index = xp.arange(n, device=array_device(y.array))
        lower = xp.astype(index[:, None] >= index[None, :], y.dtype)
        diagonal = xp.astype(index[:, None] == index[None, :], y.dtype)
        phi = matmul(y, grad_outputs[0], transa=True) * (lower - 0.5 * diagonal)
        y_inv = Inv(y.ndim).apply((y,))[0]
        s = matmul(matmul(y_inv, phi, transa=True), y_inv)
        return (s + _swap_last(s)) * 0.5,


def inv(a: Any) -> Variable:
    """Inverse of a square matrix.

    Args:
        a: Input variable or array of shape ``(N, N)``.
    """
    return Inv(2).apply((a,))[0]


def batch_inv(a: Any) -> Variable:
    """Inverses of a batch of square matrices.

    Args:
        a: Input variable or array of shape ``(B, N, N)``.
    """
    return Inv(3).apply((a,))[0]


def det(a: Any) -> Variable:
    """Determinant of a square matrix, as a 0-dimensional variable.

    Args:
        a: Input variable or array of shape ``(N, N)``.
    """
    return Det(2).apply((a,))[0]


def batch_det(a: Any) -> Variable:
    """Determinants of a batch of square matrices.

    Args:
        a: Input variable or array of shape ``(B, N, N)``.
    """
    return Det(3).apply((a,))[0]


def cholesky(a: Any) -> Variable:
    """Cholesky decomposition: the lower-triangular ``L`` with ``L @ L.T == a``.

    Args:
        a: Symmetric positive-definite input variable or array of shape ``(N, N)``.
    """
    return Cholesky(2).apply((a,))[0]
