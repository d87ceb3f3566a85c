"""cross_covariance: the cross-covariance of two sets of activations over the batch."""

from __future__ import annotations

from typing import Any

from polychain.functions.loss.input_checks import check_reduce
from polychain.functions.math.matmul import matmul
from polychain.functions.math.sum import mean
from polychain.functions.math.sum import sum as sum_
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def cross_covariance(y: Any, z: Any, reduce: str = 'half_squared_sum') -> Variable:
    """Cross-covariance of the columns of ``y`` and those of ``z`` over the batch.

    With ``y`` and ``z`` centred over axis 0, the matrix is ``C = y.T @ z / N``; the loss
    is ``sum(C ** 2) / 2``, which decorrelates the two (Cheung et al., 2015).

    Args:
        y: Variable or array of shape ``(N, M)`` and floating dtype.
        z: Variable or array of shape ``(N, K)`` and the dtype of ``y``.
        reduce: ``'half_squared_sum'`` for the scalar loss, ``'no'`` for the matrix
            ``(M, K)``.

    Returns:
        A scalar variable, or the cross-covariance matrix with ``reduce='no'``.

    Raises:
        ValueError: ``reduce`` is neither of the above.
    """
    check_reduce('cross_covariance', reduce, ('half_squared_sum', 'no'))
    y, z = (x if isinstance(x, Variable) else Variable(x, requires_grad=False) for x in (y, z))
    if y.ndim != 2 or z.ndim != 2 or y.shape[0] != z.shape[0] or y.dtype != z.dtype:
        error = InvalidType('y.ndim == z.ndim == 2, y.shape[0] == z.shape[0] and '
                            'y.dtype == z.dtype',
                            f'y: {y.shape} {y.dtype}, z: {z.shape} {z.dtype}')
        error.set_function('cross_covariance')
        raise error
    y_centred = y - mean(y, axis=0, keepdims=True)
    z_centred = z - mean(z, axis=0, keepdims=True)
    covariance = matmul(y_centred, z_centred, transa=True) * (1.0 / y.shape[0])
    if reduce == 'no':
        return covariance
    return sum_(covariance * covariance) * 0.5
